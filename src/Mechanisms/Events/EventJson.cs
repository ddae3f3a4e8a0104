using System.Text.Json;
using System.Text.Json.Serialization;

namespace Accounting.Mechanisms.Events;

/// <summary>
/// The JSON form of events (camelCase, <c>type</c> discriminator) as stored in the ledger and spoken by the API.
/// Strict on purpose: numbers must be JSON numbers, required members present, unknown members refused, so that a
/// stored event always means exactly what was accounted.
/// </summary>
public static class EventJson
{
    /// <summary>Options shared by the ledger and the API.</summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the strict settings to <paramref name="options"/> (e.g. the service's HTTP options) and returns it.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowOutOfOrderMetadataProperties = true;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        return options;
    }

    /// <summary>The event as JSON.</summary>
    public static string Serialize(PrivacyEvent privacyEvent) => JsonSerializer.Serialize(privacyEvent, Options);

    /// <summary>An event from JSON; throws <see cref="JsonException"/> for malformed or unknown input.</summary>
    public static PrivacyEvent Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<PrivacyEvent>(json, Options) ?? throw new JsonException("an event is required, not null");
        }
        catch (NotSupportedException e)
        {
            // System.Text.Json reports a missing "type" on the abstract base this way.
            throw new JsonException("an event needs a \"type\" member", e);
        }
    }
}
