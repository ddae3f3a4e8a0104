namespace Accounting.Mechanisms.Rdp;

/// <summary>RDP of the Gaussian mechanism with noise σ × sensitivity.</summary>
public static class GaussianRdp
{
    /// <summary>ε(α) = α / (2σ²), +∞ at α = ∞.</summary>
    // Mironov 2017, Prop. 7 (Table 2).
    public static double Epsilon(double sigma, double alpha) =>
        double.IsPositiveInfinity(alpha) ? double.PositiveInfinity : Upward.Ulps(alpha / (2 * sigma * sigma), 2);
}
