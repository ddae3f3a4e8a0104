using System.Text.Json.Serialization;

namespace Accounting.Mechanisms.Events;

/// <summary>
/// What a mechanism did, as plain data (the design of Google's dp_accounting DpEvent). Accountants interpret events;
/// events never compute their own cost. Serialised with a <c>type</c> discriminator and stored verbatim in the ledger.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(GaussianEvent), "gaussian")]
[JsonDerivedType(typeof(LaplaceEvent), "laplace")]
[JsonDerivedType(typeof(RandomizedResponseEvent), "randomizedResponse")]
[JsonDerivedType(typeof(ZcdpEvent), "zcdp")]
[JsonDerivedType(typeof(PoissonSampledEvent), "poissonSampled")]
[JsonDerivedType(typeof(SampledWithoutReplacementEvent), "sampledWithoutReplacement")]
[JsonDerivedType(typeof(SelfComposedEvent), "selfComposed")]
[JsonDerivedType(typeof(ComposedEvent), "composed")]
public abstract record PrivacyEvent;

/// <summary>Gaussian mechanism with noise standard deviation <c>noiseMultiplier</c> × sensitivity.</summary>
public sealed record GaussianEvent(double NoiseMultiplier) : PrivacyEvent;

/// <summary>Laplace mechanism with scale <c>noiseScale</c> for sensitivity 1.</summary>
public sealed record LaplaceEvent(double NoiseScale) : PrivacyEvent;

/// <summary>
/// k-ary randomized response: with probability <c>noiseParameter</c> the output is uniform over <c>numBuckets</c>
/// values, otherwise it is the true value (dp_accounting's RandomizedResponseDpEvent).
/// </summary>
public sealed record RandomizedResponseEvent(double NoiseParameter, int NumBuckets) : PrivacyEvent;

/// <summary>A mechanism known to satisfy ρ-zCDP.</summary>
public sealed record ZcdpEvent(double Rho) : PrivacyEvent;

/// <summary>The inner event applied to a Poisson sample: each record is included independently with <c>samplingRate</c>.</summary>
public sealed record PoissonSampledEvent(double SamplingRate, PrivacyEvent Event) : PrivacyEvent;

/// <summary>The inner event applied to a uniformly random subset of <c>sampleSize</c> of <c>sourceSize</c> records.</summary>
public sealed record SampledWithoutReplacementEvent(long SourceSize, long SampleSize, PrivacyEvent Event) : PrivacyEvent;

/// <summary>The inner event run <c>count</c> times (adaptively).</summary>
public sealed record SelfComposedEvent(long Count, PrivacyEvent Event) : PrivacyEvent;

/// <summary>The events run one after another (adaptively).</summary>
public sealed record ComposedEvent(IReadOnlyList<PrivacyEvent> Events) : PrivacyEvent
{
    /// <summary>Structural equality, so equal compositions share a cached curve.</summary>
    public bool Equals(ComposedEvent? other) =>
        other is not null && Events.SequenceEqual(other.Events);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var e in Events)
        {
            hash.Add(e);
        }
        return hash.ToHashCode();
    }
}
