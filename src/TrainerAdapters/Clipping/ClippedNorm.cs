namespace Accounting.TrainerAdapters.Clipping;

/// <summary>What clipping one example's gradient found.</summary>
/// <param name="Norm">The gradient's L2 norm before clipping (computed in double, relative error below n·2^-53).</param>
/// <param name="SensitivityFactor">
/// s = min(1, ‖g‖/C) rounded up, so the clipped gradient's exact norm is at most s·C: the factor the accountant's
/// individual sensitivity uses (Feldman, Zrnic 2021, Cor. 4.7). 1 for every gradient that was scaled down.
/// </param>
public readonly record struct ClippedNorm(double Norm, double SensitivityFactor);
