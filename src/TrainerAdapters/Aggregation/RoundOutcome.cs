using Accounting.Accountant.Contracts;

namespace Accounting.TrainerAdapters.Aggregation;

/// <summary>What became of one private round: the service either charged it or refused it.</summary>
public abstract record RoundOutcome(long Step);

/// <summary>
/// The round was charged and its noisy result computed.
/// </summary>
/// <param name="Step">The step charged.</param>
/// <param name="Sampled">Units the sampler drew, before excluded ones were dropped.</param>
/// <param name="Contributors">Indices of the units whose data went into the result, ascending.</param>
/// <param name="Charge">The service's answer: ε spent, excluded units, noise, state.</param>
public sealed record RoundCharged(long Step, int Sampled, IReadOnlyList<int> Contributors, ChargeResponse Charge) : RoundOutcome(Step)
{
    /// <summary>True when no unit is left or the task is otherwise closed after this round.</summary>
    public bool TaskEnded => Charge.State is not TaskState.Running;
}

/// <summary>The service refused the round (the task's quota is spent, or the task is closed): nothing was computed.</summary>
/// <param name="Step">The step that was refused.</param>
/// <param name="Reason">The service's explanation.</param>
public sealed record RoundRefused(long Step, string Reason) : RoundOutcome(Step);
