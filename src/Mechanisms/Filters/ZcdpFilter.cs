using Accounting.Mechanisms.Rdp;

namespace Accounting.Mechanisms.Filters;

/// <summary>
/// A zCDP budget ρ_B: admits a charge while Σρ + ρ_c ≤ ρ_B. At every order α this is the single-order Rényi filter
/// Σρ·α ≤ ρ_B·α (Feldman &amp; Zrnic 2021, Thm 4.3), and all orders halt together, so the run is ρ_B-zCDP with no
/// split of δ.
/// </summary>
public sealed class ZcdpFilter(double rho)
{
    /// <summary>The budget ρ_B.</summary>
    public double Rho { get; } = double.IsFinite(rho) && rho > 0
        ? rho
        : throw new ArgumentOutOfRangeException(nameof(rho), rho, "must be a finite number > 0");

    /// <summary>Whether spent + charge (rounded up) stays within ρ_B.</summary>
    public bool Admits(double spent, double charge) => Upward.Add(spent, charge) <= Rho;
}
