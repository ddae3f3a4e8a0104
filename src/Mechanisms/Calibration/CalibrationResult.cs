namespace Accounting.Mechanisms.Calibration;

/// <summary>
/// A calibrated noise multiplier and what the plan then spends: ε and the order attaining it for an (ε, δ)
/// target, ρ for a zCDP target (spent before included).
/// </summary>
public sealed record CalibrationResult(double NoiseMultiplier, double? Epsilon, double? Order, double? Rho);
