using System.Text.Json.Serialization;

namespace Accounting.Mechanisms.Events;

/// <summary>Which datasets count as neighbours: one unit's data added or removed, or one unit's data replaced.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NeighbouringRelation>))]
public enum NeighbouringRelation
{
    /// <summary>Add or remove one unit's data.</summary>
    [JsonStringEnumMemberName("addOrRemoveOne")]
    AddOrRemoveOne,

    /// <summary>Replace one unit's data with another's.</summary>
    [JsonStringEnumMemberName("replaceOne")]
    ReplaceOne,
}
