using System.Text.Json.Serialization;

namespace Accounting.Accountant.Contracts;

/// <summary>What one privacy unit is: the entity a budget protects.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UnitKind>))]
public enum UnitKind
{
    /// <summary>One training example.</summary>
    [JsonStringEnumMemberName("example")]
    Example,

    /// <summary>One user (all their examples).</summary>
    [JsonStringEnumMemberName("user")]
    User,

    /// <summary>One federated client.</summary>
    [JsonStringEnumMemberName("client")]
    Client,

    /// <summary>One task's whole dataset (meta-learning, multitask learning).</summary>
    [JsonStringEnumMemberName("task")]
    Task,
}
