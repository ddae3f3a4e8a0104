namespace Accounting.Demo.Experiments;

/// <summary>How a private training run ended, next to its non-private baseline.</summary>
/// <param name="Name">The experiment.</param>
/// <param name="TaskId">The service's task.</param>
/// <param name="NoiseMultiplier">The σ the service calibrated.</param>
/// <param name="PrivateAccuracy">Test accuracy of the private model at the end.</param>
/// <param name="BaselineAccuracy">Test accuracy of the same training without clipping or noise.</param>
/// <param name="Rounds">Every charged round, in order.</param>
/// <param name="StopReason">Why training stopped (the service's words).</param>
internal sealed record ExperimentResult(
    string Name, string TaskId, double NoiseMultiplier, double PrivateAccuracy, double BaselineAccuracy,
    IReadOnlyList<RoundReport> Rounds, string StopReason)
{
    /// <summary>ε spent when training stopped.</summary>
    public double? FinalEpsilon => Rounds.Count == 0 ? 0 : Rounds[^1].Epsilon;
}
