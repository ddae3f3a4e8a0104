using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Storage;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Domain;

/// <summary>
/// A charge request checked and serialised on the request's own thread, so that the one writer only splices in what
/// it decides (the step). A 1,000-unit request's JSON for its ledger entry and for its idempotency hash was a tenth of
/// the writer's time, and the writer is what bounds per-unit charges (docs/performance.md). The ledger's list is
/// written into a pooled array, given back when the charge is disposed of, once its write has run or will never run.
/// </summary>
internal sealed class PreparedCharge : IDisposable
{
    // What the identity hash starts with: this definition's name, so that no other's bytes can be taken for its own.
    private static ReadOnlySpan<byte> Definition => "accounting charge request, step last\n"u8;
    private static ReadOnlySpan<byte> NullStep => "{\"step\":null"u8;

    private readonly ChargeRequest _request;
    private readonly Dictionary<string, double> _factors;
    // SHA-256 of the request's canonical bytes without its step.
    private readonly byte[] _digest;
    private readonly PooledBytes? _listed;

    private PreparedCharge(ChargeRequest request, Dictionary<string, double> factors)
    {
        _request = request;
        Factors = _factors = factors;
        Named = [.. factors];
        _digest = Digest(request);
        _listed = factors.Count == 0 ? null : SensitivityList.WriteJson(factors);
        Listed = _listed is null ? SensitivityList.Empty : new SensitivityList(_listed.Written, SensitivityList.CompactOf(factors));
    }

    // The request's canonical bytes, step aside: its event as JSON, then its list (−1 for none, else its length) and
    // each entry's id in UTF-8 and its sensitivity's bits, every length first. Two requests have the same bytes exactly
    // when JsonSerializer writes them alike, which is what the first definition (LegacyHash) hashed; formatting each
    // sensitivity as JSON for it took a sixth of a 1,000-unit request's thread.
    private static byte[] Digest(ChargeRequest request)
    {
        using var bytes = new PooledBytes(256 + 48 * (request.Sensitivities?.Count ?? 0));
        var @event = JsonSerializer.SerializeToUtf8Bytes(request.Event, EventJson.Options);
        PutInt(bytes, @event.Length);
        bytes.Write(@event);
        PutInt(bytes, request.Sensitivities?.Count ?? -1);
        foreach (var entry in request.Sensitivities ?? []) // checked: no entry is null
        {
            var length = Encoding.UTF8.GetByteCount(entry.Unit);
            PutInt(bytes, length);
            bytes.Advance(Encoding.UTF8.GetBytes(entry.Unit, bytes.GetSpan(length)));
            BinaryPrimitives.WriteInt64LittleEndian(bytes.GetSpan(sizeof(long)), BitConverter.DoubleToInt64Bits(entry.Sensitivity));
            bytes.Advance(sizeof(long));
        }
        return SHA256.HashData(bytes.Written.Span);
    }

    private static void PutInt(PooledBytes bytes, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(bytes.GetSpan(sizeof(int)), value);
        bytes.Advance(sizeof(int));
    }

    // The request as JsonSerializer writes it with a null step (the first definition's bytes), written member by member.
    private static PooledBytes WithoutStep(ChargeRequest request)
    {
        var buffer = new PooledBytes(256 + 64 * (request.Sensitivities?.Count ?? 0));
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = EventJson.Options.Encoder }))
        {
            json.WriteStartObject();
            json.WriteNull("step"u8);
            json.WritePropertyName("event"u8);
            JsonSerializer.Serialize(json, request.Event, EventJson.Options);
            if (request.Sensitivities is { } list)
            {
                json.WriteStartArray("sensitivities"u8);
                foreach (var entry in list)
                {
                    json.WriteStartObject();
                    json.WriteString("unit"u8, entry.Unit);
                    json.WriteNumber("sensitivity"u8, entry.Sensitivity);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            else
            {
                json.WriteNull("sensitivities"u8);
            }
            json.WriteEndObject();
        }
        return buffer;
    }

    /// <summary>Each named unit's factor, rounded up onto the grid, in the request's order.</summary>
    public IReadOnlyDictionary<string, double> Factors { get; }

    /// <summary>The same, as a list in the request's order, made here rather than on the writer.</summary>
    public KeyValuePair<string, double>[] Named { get; }

    /// <summary>The named units' ids, in the request's order.</summary>
    public IReadOnlyCollection<string> UnitIds => _factors.Keys;

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
    /// The request's identity for idempotency: SHA-256 of this definition's name, <paramref name="step"/> (the step it
    /// resolves to, not the key itself) and the digest of its canonical bytes. Hashing the step last keeps the 1,000
    /// entries' bytes off the writer, which alone knows the step.
    /// </summary>
    public byte[] Hash(long step)
    {
        Span<byte> bytes = stackalloc byte[Definition.Length + sizeof(long) + SHA256.HashSizeInBytes];
        Definition.CopyTo(bytes);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[Definition.Length..], step);
        _digest.CopyTo(bytes[(Definition.Length + sizeof(long))..]);
        return SHA256.HashData(bytes);
    }

    /// <summary>
    /// Whether <paramref name="stored"/> is this request's hash at <paramref name="step"/>: by <see cref="Hash"/>, or by
    /// the first definition, which charges stored before it hold.
    /// </summary>
    public bool Matches(byte[] stored, long step) =>
        CryptographicOperations.FixedTimeEquals(stored, Hash(step)) || CryptographicOperations.FixedTimeEquals(stored, LegacyHash(step));

    // The first definition: SHA-256 of the request as JsonSerializer writes it with the step, which it writes first,
    // so the bytes without a step with the step's number in place of its null.
    private byte[] LegacyHash(long step)
    {
        using var withoutStep = WithoutStep(_request);
        ReadOnlySpan<byte> prefix = "{\"step\":"u8;
        var rest = withoutStep.Written.Span[NullStep.Length..];
        using var bytes = new PooledBytes(prefix.Length + 20 + rest.Length);
        bytes.Write(prefix);
        step.TryFormat(bytes.GetSpan(20), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        bytes.Advance(written);
        bytes.Write(rest);
        return SHA256.HashData(bytes.Written.Span);
    }

    /// <inheritdoc />
    public void Dispose() => _listed?.Dispose();
}
