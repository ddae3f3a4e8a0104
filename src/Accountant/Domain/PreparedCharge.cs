using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Domain;

/// <summary>
/// A charge request checked and serialised on the request's own thread, so that the one writer only splices in what
/// it decides (the step). A 1,000-unit request's JSON for its ledger entry and for its idempotency hash was a tenth of
/// the writer's time, and the writer is what bounds per-unit charges (docs/performance.md).
/// </summary>
internal sealed class PreparedCharge
{
    private static ReadOnlySpan<byte> NullStep => "{\"step\":null"u8;

    // The request as serialised with no step: its identity hash puts the resolved step in place of that null.
    private readonly byte[] _withoutStep;

    private PreparedCharge(ChargeRequest request, Dictionary<string, double> factors)
    {
        Factors = factors;
        Listed = factors.Count == 0 ? SensitivityList.Empty : new SensitivityList(factors);
        _withoutStep = JsonSerializer.SerializeToUtf8Bytes(request with { Step = null }, EventJson.Options);
        if (!_withoutStep.AsSpan().StartsWith(NullStep))
        {
            throw new InvalidOperationException("a charge request must serialise its step first");
        }
    }

    /// <summary>Each named unit's factor, rounded up onto the grid, in the request's order.</summary>
    public IReadOnlyDictionary<string, double> Factors { get; }

    /// <summary>The factors as the charge's ledger entry lists them.</summary>
    public SensitivityList Listed { get; }

    /// <summary>Checks the request (400 naming the field) and prepares it.</summary>
    public static PreparedCharge Of(ChargeRequest request, string? key)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (key is not null && (key.Length is 0 or > ChargeProcessor.MaxKeyLength || key.Any(char.IsControl)))
        {
            throw ProblemException.Invalid("Idempotency-Key", $"must be 1–{ChargeProcessor.MaxKeyLength} characters without control characters");
        }
        if (request.Step is null && key is null)
        {
            throw ProblemException.Invalid("step", "give the step index or an Idempotency-Key header, so that a retry cannot charge twice");
        }
        if (request.Step is < 0)
        {
            throw ProblemException.Invalid("step", "must be ≥ 0");
        }
        var list = request.Sensitivities ?? [];
        if (list.Count > UnitRegistry.MaxBatch)
        {
            throw ProblemException.Invalid("sensitivities", $"at most {UnitRegistry.MaxBatch} entries");
        }
        var factors = new Dictionary<string, double>(list.Count, StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var entry = list[i] ?? throw ProblemException.Invalid($"sensitivities[{i}]", "an entry is required");
            if (Ids.Problem(entry.Unit) is { } problem)
            {
                throw ProblemException.Invalid($"sensitivities[{i}].unit", problem);
            }
            if (!(entry.Sensitivity is >= 0 and <= 1))
            {
                throw ProblemException.Invalid($"sensitivities[{i}].sensitivity", "must be a number in [0, 1]");
            }
            if (!factors.TryAdd(entry.Unit, IndividualSensitivity.RoundUp(entry.Sensitivity)))
            {
                throw ProblemException.Invalid($"sensitivities[{i}].unit", $"unit '{entry.Unit}' appears more than once");
            }
        }
        return new PreparedCharge(request, factors);
    }

    /// <summary>
    /// The request's identity for idempotency: SHA-256 of the request as serialised with <paramref name="step"/>, the
    /// step it resolves to (not the key itself). The serialiser writes the step first, so that is the bytes without a
    /// step with the step's number in place of its null.
    /// </summary>
    public byte[] Hash(long step)
    {
        // One buffer hashed at once: an incremental hash creates and frees a digest context per call, on the writer.
        ReadOnlySpan<byte> prefix = "{\"step\":"u8;
        var rest = _withoutStep.AsSpan(NullStep.Length);
        var bytes = new byte[prefix.Length + 20 + rest.Length];
        prefix.CopyTo(bytes);
        step.TryFormat(bytes.AsSpan(prefix.Length), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        rest.CopyTo(bytes.AsSpan(prefix.Length + written));
        return SHA256.HashData(bytes.AsSpan(0, prefix.Length + written + rest.Length));
    }

    /// <summary>
    /// The factors as a JSON array of <c>{"unit", "sensitivity"}</c> in the request's order, serialised once and
    /// written verbatim into the ledger entry's payload.
    /// </summary>
    [JsonConverter(typeof(Converter))]
    internal sealed class SensitivityList
    {
        private readonly byte[] _utf8;

        private SensitivityList(byte[] utf8) => _utf8 = utf8;

        /// <summary>The list of a uniform charge.</summary>
        public static SensitivityList Empty { get; } = new("[]"u8.ToArray());

        public SensitivityList(IReadOnlyDictionary<string, double> factors)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = EventJson.Options.Encoder }))
            {
                json.WriteStartArray();
                foreach (var (unit, factor) in factors)
                {
                    json.WriteStartObject();
                    json.WriteString("unit", unit);
                    json.WriteNumber("sensitivity", factor);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            _utf8 = buffer.ToArray();
        }

        private sealed class Converter : JsonConverter<SensitivityList>
        {
            public override SensitivityList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                throw new NotSupportedException("a sensitivity list is only written");

            public override void Write(Utf8JsonWriter writer, SensitivityList value, JsonSerializerOptions options) =>
                writer.WriteRawValue(value._utf8, skipInputValidation: true); // written by a Utf8JsonWriter above
        }
    }
}
