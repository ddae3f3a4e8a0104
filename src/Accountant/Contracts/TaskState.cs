using System.Text.Json.Serialization;

namespace Accounting.Accountant.Contracts;

/// <summary>Where a training task is in its life.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskState>))]
public enum TaskState
{
    /// <summary>Created and calibrated; nothing charged yet.</summary>
    [JsonStringEnumMemberName("planned")]
    Planned,

    /// <summary>At least one step charged.</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>Closed by the trainer.</summary>
    [JsonStringEnumMemberName("completed")]
    Completed,

    /// <summary>The quota refused a step, or no unit is left: no further charges.</summary>
    [JsonStringEnumMemberName("exhausted")]
    Exhausted,

    /// <summary>Cancelled by the trainer.</summary>
    [JsonStringEnumMemberName("cancelled")]
    Cancelled,
}
