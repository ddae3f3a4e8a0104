using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Validation;

namespace Accounting.Mechanisms.Rdp;

/// <summary>Interprets an event tree as an RDP curve. Costs are upper bounds, never rounded down.</summary>
public static class RdpAccountant
{
    /// <summary>
    /// The RDP curve of <paramref name="privacyEvent"/> on <paramref name="grid"/> under <paramref name="relation"/>.
    /// Throws <see cref="InvalidParameterException"/> for invalid parameters or unsupported combinations.
    /// </summary>
    public static RdpCurve Curve(PrivacyEvent privacyEvent, OrderGrid grid, NeighbouringRelation relation)
    {
        ArgumentNullException.ThrowIfNull(grid);
        EventValidation.EnsureAccountable(privacyEvent, relation);
        var values = new double[grid.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = At(privacyEvent, grid.Orders[i]);
        }
        return new RdpCurve(grid, values);
    }

    /// <summary>ε(α) of a valid, supported event at one order α &gt; 1 (+∞ allowed).</summary>
    public static double At(PrivacyEvent privacyEvent, double alpha) => privacyEvent switch
    {
        GaussianEvent g => GaussianRdp.Epsilon(g.NoiseMultiplier, alpha),
        LaplaceEvent l => LaplaceRdp.Epsilon(l.NoiseScale, alpha),
        RandomizedResponseEvent r => RandomizedResponseRdp.Epsilon(r.NoiseParameter, r.NumBuckets, alpha),
        // A ρ-zCDP mechanism has ε(α) ≤ ρα (Bun & Steinke 2016, Def. 1.1).
        ZcdpEvent z => z.Rho == 0 ? 0 : Upward.Multiply(z.Rho, alpha),
        PoissonSampledEvent { Event: GaussianEvent g } p => PoissonGaussianRdp.Epsilon(p.SamplingRate, g.NoiseMultiplier, alpha),
        SampledWithoutReplacementEvent { Event: GaussianEvent g } s =>
            WithoutReplacementGaussianRdp.Epsilon(s.SourceSize, s.SampleSize, g.NoiseMultiplier, alpha),
        // Mironov 2017, Prop. 1: RDP composes additively at every order.
        SelfComposedEvent s => Upward.Multiply(At(s.Event, alpha), s.Count),
        ComposedEvent c => c.Events.Aggregate(0.0, (sum, e) => Upward.Add(sum, At(e, alpha))),
        _ => throw new InvalidParameterException([new("event", $"{privacyEvent.GetType().Name} is not supported by the RDP accountant")]),
    };

    /// <summary>
    /// Whether the event's values are, within <see cref="ConvexCurveBounds.Slack"/>, upper bounds on a curve with
    /// (α − 1)·ε(α) convex and 0 at α = 1, so that <see cref="ConvexCurveBounds"/> applies: the Gaussian and the
    /// Poisson-subsampled Gaussian (exact Rényi divergences), zCDP's ρα, and compositions of these. The other
    /// mechanisms' closed forms and bounds are not certified here (they are cheap, or bounds of unknown shape).
    /// </summary>
    internal static bool HasConvexCurve(PrivacyEvent privacyEvent) => privacyEvent switch
    {
        GaussianEvent or ZcdpEvent or PoissonSampledEvent { Event: GaussianEvent } => true,
        SelfComposedEvent s => HasConvexCurve(s.Event),
        ComposedEvent c => c.Events.All(HasConvexCurve),
        _ => false,
    };
}
