using Accounting.Mechanisms.Rdp;
using Accounting.Mechanisms.Validation;

namespace Accounting.Mechanisms.Events;

/// <summary>
/// Individual sensitivity (Feldman &amp; Zrnic 2021, Cor. 4.7): a unit whose contribution is at most s times the
/// sensitivity pays the event with its noise scaled by 1/s. Factors are rounded up onto a grid of
/// <see cref="GridSize"/> values so that equal costs share a cached curve; rounding up can only overcharge.
/// </summary>
public static class IndividualSensitivity
{
    /// <summary>Number of grid values: s is rounded up to a multiple of 1/GridSize in (0, 1].</summary>
    public const int GridSize = 100;

    /// <summary>s rounded up onto the grid; throws for s outside [0, 1].</summary>
    public static double RoundUp(double factor)
    {
        if (!(factor >= 0 && factor <= 1))
        {
            throw new InvalidParameterException([new("sensitivity", "must be a number in [0, 1]")]);
        }
        return Math.Max(1, Math.Ceiling(Upward.Multiply(factor, GridSize))) / GridSize;
    }

    /// <summary>The event as paid by a unit with (grid-rounded) sensitivity factor s ∈ (0, 1].</summary>
    public static PrivacyEvent Scale(PrivacyEvent privacyEvent, double factor) => factor == 1 ? privacyEvent : privacyEvent switch
    {
        GaussianEvent g => new GaussianEvent(g.NoiseMultiplier / factor),
        LaplaceEvent l => new LaplaceEvent(l.NoiseScale / factor),
        // A ρ-zCDP mechanism on inputs s times smaller is s²ρ-zCDP (Bun & Steinke 2016, Prop. 1.6 scaling).
        ZcdpEvent z => new ZcdpEvent(z.Rho * factor * factor),
        // Randomized response releases a value, not a sum: its cost does not depend on a norm.
        RandomizedResponseEvent r => r,
        PoissonSampledEvent p => p with { Event = Scale(p.Event, factor) },
        SampledWithoutReplacementEvent s => s with { Event = Scale(s.Event, factor) },
        SelfComposedEvent s => s with { Event = Scale(s.Event, factor) },
        ComposedEvent c => new ComposedEvent([.. c.Events.Select(e => Scale(e, factor))]),
        _ => privacyEvent,
    };
}
