using System.Text.Json.Serialization;

namespace Accounting.Mechanisms.Calibration;

/// <summary>How each step of a plan picks the records (or clients) it uses.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SamplingScheme>))]
public enum SamplingScheme
{
    /// <summary>Each record is included independently with the sampling rate (add/remove neighbours).</summary>
    [JsonStringEnumMemberName("poisson")]
    Poisson,

    /// <summary>A uniformly random batch of fixed size, drawn without replacement (replace-one neighbours).</summary>
    [JsonStringEnumMemberName("withoutReplacement")]
    WithoutReplacement,

    /// <summary>Every record in every step (full-batch training).</summary>
    [JsonStringEnumMemberName("none")]
    None,
}
