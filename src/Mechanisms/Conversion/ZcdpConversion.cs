using Accounting.Mechanisms.Numerics;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Mechanisms.Conversion;

/// <summary>ρ-zCDP → (ε, δ).</summary>
public static class ZcdpConversion
{
    // Orders are searched in 1 + e^[log 0.011, 40]: above the conversion's 1.01 floor (so the objective has no flat
    // part that would mislead the search) and past the optimum for any ρ ≥ 1e-30. Any order gives a valid bound.
    private static readonly double LowestLogOrderExcess = Math.Log(0.011);
    private const double HighestLogOrderExcess = 40;

    /// <summary>
    /// The tight conversion: the RDP conversion applied to the curve α ↦ ρα, minimised over every real α &gt; 1
    /// (Canonne, Kamath, Steinke 2020, Prop. 12 and Cor. 13). Returns the ε and the order found.
    /// </summary>
    public static EpsilonAtOrder Epsilon(double rho, double delta)
    {
        EnsureRho(rho);
        RdpConversion.EnsureProbability(delta, nameof(delta));
        if (rho == 0)
        {
            return new EpsilonAtOrder(0, double.PositiveInfinity);
        }
        var logDelta = Math.Log(delta);
        var alpha = BestOrder(a => RdpConversion.EpsilonAt(a, Upward.Multiply(rho, a), logDelta));
        return new EpsilonAtOrder(Math.Max(0, RdpConversion.EpsilonAt(alpha, Upward.Multiply(rho, alpha), logDelta)), alpha);
    }

    /// <summary>The classic, looser bound ε = ρ + 2√(ρ·log(1/δ)) (Bun &amp; Steinke 2016, Prop. 1.3).</summary>
    public static double ClassicEpsilon(double rho, double delta)
    {
        EnsureRho(rho);
        RdpConversion.EnsureProbability(delta, nameof(delta));
        return Upward.Ulps(rho + 2 * Math.Sqrt(rho * -Math.Log(delta)), 4);
    }

    /// <summary>The tight δ for a given ε ≥ 0: the RDP conversion on α ↦ ρα, minimised over real α &gt; 1.</summary>
    public static DeltaAtOrder Delta(double rho, double epsilon)
    {
        EnsureRho(rho);
        if (!(double.IsFinite(epsilon) && epsilon >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "must be a finite number ≥ 0");
        }
        if (rho == 0)
        {
            return new DeltaAtOrder(0, double.PositiveInfinity);
        }
        var alpha = BestOrder(a => RdpConversion.LogDeltaAt(a, Upward.Multiply(rho, a), epsilon));
        var logDelta = RdpConversion.LogDeltaAt(alpha, Upward.Multiply(rho, alpha), epsilon);
        return new DeltaAtOrder(RdpConversion.ToDelta(logDelta), alpha);
    }

    // Searched over x = log(α − 1), where the conversions are unimodal and smooth.
    private static double BestOrder(Func<double, double> atOrder)
    {
        var x = GoldenSection.Minimise(v => atOrder(1 + Math.Exp(v)), LowestLogOrderExcess, HighestLogOrderExcess);
        return 1 + Math.Exp(x);
    }

    private static void EnsureRho(double rho)
    {
        if (!(double.IsFinite(rho) && rho >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(rho), rho, "must be a finite number ≥ 0");
        }
    }
}
