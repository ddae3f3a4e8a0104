using Accounting.Demo.Output;
using Accounting.TrainerAdapters.Aggregation;

namespace Accounting.Demo.Experiments;

/// <summary>Runs private rounds until the service refuses one or no unit is left, reporting each round.</summary>
internal static class TrainingLoop
{
    /// <summary>The rounds charged and why training stopped.</summary>
    public static async Task<(List<RoundReport> Rounds, string Stop)> RunAsync(
        Func<CancellationToken, Task<RoundOutcome>> round, Func<long, double?> evaluate, ProgressBar? progress,
        CancellationToken cancellationToken)
    {
        var rounds = new List<RoundReport>();
        string stop;
        while (true)
        {
            var outcome = await round(cancellationToken);
            if (outcome is RoundRefused refused)
            {
                stop = $"the service refused round {refused.Step}: {refused.Reason}";
                break;
            }
            var charged = (RoundCharged)outcome;
            var report = new RoundReport(
                charged.Step, charged.Charge.TaskSpent.Epsilon, evaluate(charged.Step), charged.Charge.ParticipatingUnits,
                charged.Contributors.Count);
            rounds.Add(report);
            progress?.Show(report);
            if (charged.TaskEnded)
            {
                stop = $"no unit is left after round {charged.Step}";
                break;
            }
        }
        progress?.Stop(stop);
        return (rounds, stop);
    }
}
