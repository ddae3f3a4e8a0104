using System.Text.Json;
using System.Text.Json.Serialization;

namespace Accounting.Accountant.Contracts;

/// <summary>
/// <see cref="UnitSensitivity"/> as <c>{"unit": …, "sensitivity": …}</c>, read by hand under the rules the options
/// give every other record: both members required and the unit not null, unknown or repeated members refused, names
/// matched without case where the options say so, and the sensitivity a JSON number (EventJson's options take no
/// other). A charge lists up to a million of them, and the serialiser's path for records with constructor parameters
/// took a quarter of a 1,000-unit request's thread and four objects per entry (docs/performance.md).
/// </summary>
public sealed class UnitSensitivityConverter : JsonConverter<UnitSensitivity>
{
    private const string UnitName = "unit", SensitivityName = "sensitivity";

    /// <inheritdoc />
    public override UnitSensitivity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException(); // the serialiser's own message, with the path
        }
        string? unit = null;
        double? sensitivity = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = MemberOf(ref reader, options);
            if (member == UnitName)
            {
                Once(unit is null, UnitName, options);
                reader.Read();
                unit = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Null => throw new JsonException("must be a string, not null"),
                    _ => throw new JsonException(), // the wrong JSON type
                };
            }
            else if (member == SensitivityName)
            {
                Once(sensitivity is null, SensitivityName, options);
                reader.Read();
                sensitivity = reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : throw new JsonException(); // the wrong JSON type
            }
            else if (options.UnmappedMemberHandling == JsonUnmappedMemberHandling.Disallow)
            {
                throw new JsonException($"'{reader.GetString()}' is not a member of a unit's sensitivity (only \"{UnitName}\" and \"{SensitivityName}\")");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        // The phrase the API's problem mapping reads to name the missing member's field.
        return unit is null ? throw Missing(UnitName)
            : sensitivity is not { } value ? throw Missing(SensitivityName)
            : new UnitSensitivity(unit, value);
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, UnitSensitivity value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString(UnitName, value.Unit);
        writer.WriteNumber(SensitivityName, value.Sensitivity);
        writer.WriteEndObject();
    }

    // The member the property names (null: none), exactly as written first, as the serialiser matches names.
    private static string? MemberOf(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (reader.ValueTextEquals("unit"u8))
        {
            return UnitName;
        }
        if (reader.ValueTextEquals("sensitivity"u8))
        {
            return SensitivityName;
        }
        var name = options.PropertyNameCaseInsensitive ? reader.GetString() : null;
        return string.Equals(name, UnitName, StringComparison.OrdinalIgnoreCase) ? UnitName
            : string.Equals(name, SensitivityName, StringComparison.OrdinalIgnoreCase) ? SensitivityName
            : null;
    }

    private static void Once(bool first, string name, JsonSerializerOptions options)
    {
        if (!first && !options.AllowDuplicateProperties)
        {
            throw new JsonException($"\"{name}\" is given more than once");
        }
    }

    private static JsonException Missing(string name) =>
        new($"a unit's sensitivity was missing required properties including: '{name}'.");
}
