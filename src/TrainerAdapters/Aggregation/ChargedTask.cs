using Accounting.Accountant.Contracts;
using Accounting.TrainerAdapters.Client;

namespace Accounting.TrainerAdapters.Aggregation;

/// <summary>
/// A trainer's view of one task on the service: its units by index, which of them are excluded, and the next step.
/// Every round goes through <see cref="ChargeNextAsync"/> before any unit's data is read, so a unit the service
/// excludes at a step is left out of that step's update and of every later one.
/// </summary>
public sealed class ChargedTask
{
    private readonly AccountantClient client;
    private readonly Dictionary<string, int> indexOf;
    private readonly bool[] excluded;

    private ChargedTask(AccountantClient client, TaskResponse task, IReadOnlyList<string> units)
    {
        this.client = client;
        Task = task;
        Units = units;
        excluded = new bool[units.Count];
        indexOf = new Dictionary<string, int>(units.Count, StringComparer.Ordinal);
        for (var i = 0; i < units.Count; i++)
        {
            if (!indexOf.TryAdd(units[i], i))
            {
                throw new ArgumentException($"Unit '{units[i]}' is listed twice.", nameof(units));
            }
        }
        NextStep = task.NextStep;
    }

    /// <summary>The task as the service described it when opened.</summary>
    public TaskResponse Task { get; }

    /// <summary>The task's units; the trainer's data is indexed the same way.</summary>
    public IReadOnlyList<string> Units { get; }

    /// <summary>The step the next round charges.</summary>
    public long NextStep { get; private set; }

    /// <summary>How many units are still in the task.</summary>
    public int Participating { get; private set; }

    /// <summary>Whether the unit at <paramref name="index"/> has been excluded by its budget.</summary>
    public bool IsExcluded(int index) => excluded[index];

    /// <summary>
    /// Opens a task for training (or resumes it at its next step) with the units of its cohort, in the order the
    /// trainer indexes its data.
    /// </summary>
    public static async Task<ChargedTask> OpenAsync(
        AccountantClient client, string taskId, IReadOnlyList<string> units, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(units);
        var task = await client.GetTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (task.ParticipatingUnits + task.ExcludedUnits != units.Count)
        {
            throw new ArgumentException(
                $"Task '{taskId}' has {task.ParticipatingUnits + task.ExcludedUnits} units but {units.Count} were given.", nameof(units));
        }
        var opened = new ChargedTask(client, task, units);
        await foreach (var unit in client.ExclusionsAsync(taskId, cancellationToken).ConfigureAwait(false))
        {
            opened.Exclude(unit);
        }
        opened.Participating = units.Count - opened.excluded.Count(e => e);
        return opened;
    }

    /// <summary>
    /// Charges the next step. On a charge, every unit the service excluded is marked before this returns; on a
    /// refusal (quota spent, task closed) nothing is marked and the step does not advance.
    /// </summary>
    public async Task<(ChargeResponse? Charge, RoundRefused? Refusal)> ChargeNextAsync(CancellationToken cancellationToken)
    {
        var step = NextStep;
        ChargeResponse charge;
        try
        {
            charge = await client.ChargeAsync(Task.Id, step, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception refused) when (refused is QuotaExhaustedException or TaskClosedException)
        {
            return (null, new RoundRefused(step, ((AccountantProblemException)refused).Detail ?? refused.Message));
        }
        if (charge.ExcludedUnitsTruncated)
        {
            await foreach (var unit in client.ExclusionsAsync(Task.Id, cancellationToken).ConfigureAwait(false))
            {
                Exclude(unit);
            }
        }
        else
        {
            foreach (var unit in charge.ExcludedUnits)
            {
                Exclude(unit);
            }
        }
        Participating = (int)charge.ParticipatingUnits;
        NextStep = charge.NextStep;
        return (charge, null);
    }

    private void Exclude(string unit)
    {
        if (!indexOf.TryGetValue(unit, out var index))
        {
            throw new InvalidOperationException($"The service excluded unit '{unit}', which the trainer did not list for task '{Task.Id}'.");
        }
        excluded[index] = true;
    }
}
