using Accounting.Mechanisms.Calibration;
using Accounting.TrainerAdapters.Aggregation;
using Accounting.TrainerAdapters.Clipping;
using Accounting.TrainerAdapters.DpSgd;
using Accounting.TrainerAdapters.Noise;

namespace Accounting.TrainerAdapters.DataSelection;

/// <summary>
/// Private data selection by gradient similarity: each scoring round releases, for every candidate still in the task,
/// ⟨clip(∇ℓ(θ; x_i)), u⟩ + N(0, s²), with u a unit direction the trainer may publish (e.g. the gradient of a public
/// or trusted validation set) and s the service's noise standard deviation. A candidate's score depends on its own
/// example only and lies in [−C, C], so each round is one Gaussian mechanism of sensitivity C per candidate (Mironov
/// 2017, "Rényi differential privacy", Proposition 7) and parallel across candidates; the round is charged to every
/// candidate before any example is read. The scores are the gradient similarities of Xia et al. 2024 ("LESS:
/// selecting influential data for targeted instruction tuning", §3), made private.
/// The task's plan must sample <c>none</c>: every candidate is scored in every round.
/// </summary>
public sealed class PrivateDataSelection
{
    private readonly ChargedTask task;
    private readonly PerExampleGradient gradient;
    private readonly GaussianNoise noise;

    /// <summary>Scoring over an opened task whose plan samples none.</summary>
    public PrivateDataSelection(ChargedTask task, PerExampleGradient gradient, SecureRandom? random = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(gradient);
        if (task.Task.Plan.Sampling != SamplingScheme.None)
        {
            throw new ArgumentException($"Task '{task.Task.Id}' samples {task.Task.Plan.Sampling}; scoring releases every candidate's score, so its plan must sample none.", nameof(task));
        }
        this.task = task;
        this.gradient = gradient;
        noise = new GaussianNoise(random ?? new SecureRandom());
    }

    /// <summary>
    /// Charges one scoring round and scores every candidate still in the task at <paramref name="parameters"/>
    /// along <paramref name="direction"/> (normalised here); excluded candidates get no score (null).
    /// </summary>
    public async Task<(RoundOutcome Outcome, double?[] Scores)> ScoreAsync(
        float[] parameters, float[] direction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(direction);
        var unit = UnitDirection(direction);
        var scores = new double?[task.Units.Count];
        var (charge, refusal) = await task.ChargeNextAsync(cancellationToken).ConfigureAwait(false);
        if (charge is null)
        {
            return (refusal!, scores);
        }
        var standardDeviation = charge.NoiseStandardDeviation
            ?? throw new InvalidOperationException($"Step {charge.Step} of task '{charge.TaskId}' has no Gaussian noise to add.");
        var raw = new float[parameters.Length];
        var clipped = new float[parameters.Length];
        var scored = new List<int>();
        for (var candidate = 0; candidate < scores.Length; candidate++)
        {
            if (task.IsExcluded(candidate))
            {
                continue;
            }
            Array.Clear(raw);
            gradient(candidate, parameters, raw);
            PerExampleClipping.Clip(raw, charge.ClipNorm, clipped);
            var similarity = 0.0;
            for (var i = 0; i < clipped.Length; i++)
            {
                similarity += clipped[i] * unit[i];
            }
            // Cauchy–Schwarz bounds it by C; the clamp keeps rounding in the dot product from stepping past it.
            scores[candidate] = Math.Clamp(similarity, -charge.ClipNorm, charge.ClipNorm) + noise.Sample(standardDeviation);
            scored.Add(candidate);
        }
        return (new RoundCharged(charge.Step, scores.Length, scored, charge), scores);
    }

    /// <summary>The <paramref name="count"/> candidates with the highest scores (post-processing, free of charge).</summary>
    public static int[] Top(IReadOnlyList<double?> scores, int count)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return [.. Enumerable.Range(0, scores.Count).Where(i => scores[i].HasValue)
            .OrderByDescending(i => scores[i]!.Value).ThenBy(i => i).Take(count)];
    }

    private static double[] UnitDirection(float[] direction)
    {
        var norm = Math.Sqrt(direction.Sum(v => (double)v * v));
        if (!(norm > 0 && double.IsFinite(norm)))
        {
            throw new ArgumentException("The direction must be finite and non-zero.", nameof(direction));
        }
        return [.. direction.Select(v => v / norm)];
    }
}
