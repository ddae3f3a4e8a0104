using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Mechanisms.Zcdp;

/// <summary>The ρ of events that are ρ-zCDP; sampled events have no finite ρ here.</summary>
public static class ZcdpAccountant
{
    /// <summary>ρ of a valid event, or null when the event has no finite ρ (subsampling).</summary>
    public static double? Rho(PrivacyEvent privacyEvent) => privacyEvent switch
    {
        // Bun & Steinke 2016, Prop. 1.6.
        GaussianEvent g => Upward.Ulps(1 / (2 * g.NoiseMultiplier * g.NoiseMultiplier), 2),
        ZcdpEvent z => z.Rho,
        // Pure ε-DP implies ε²/2-zCDP (Bun & Steinke 2016, Prop. 1.4); Laplace with scale b is 1/b-DP.
        LaplaceEvent l => Upward.Ulps(0.5 / (l.NoiseScale * l.NoiseScale), 2),
        RandomizedResponseEvent r => PureDpRho(RandomizedResponseRdp.Epsilon(r.NoiseParameter, r.NumBuckets, double.PositiveInfinity)),
        SelfComposedEvent s => Rho(s.Event) is { } rho ? Upward.Multiply(rho, s.Count) : null,
        // Composition adds ρ (Bun & Steinke 2016, Lemma 2.3).
        ComposedEvent c => c.Events.Aggregate((double?)0, (sum, e) => sum is { } a && Rho(e) is { } b ? Upward.Add(a, b) : null),
        _ => null,
    };

    private static double PureDpRho(double epsilon) => Upward.Ulps(epsilon * epsilon / 2, 2);
}
