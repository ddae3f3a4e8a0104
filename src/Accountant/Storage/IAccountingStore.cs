namespace Accounting.Accountant.Storage;

/// <summary>
/// The storage seam. Work runs inside one transaction: writes are isolated, so that a charge sees and updates the
/// spent curves of its units atomically (the store runs writes one at a time, or they lock what they change first:
/// see <see cref="IStoreSession.LockTask"/> and the other Lock methods), and reads see a consistent snapshot. A write's
/// work may run more than once (a store may retry it after a deadlock or a lost race): it must change nothing outside
/// the session, or only what a later run overwrites.
/// </summary>
public interface IAccountingStore
{
    /// <summary>Runs <paramref name="work"/> in a write transaction, committed if it returns, rolled back if it throws.</summary>
    Task<T> WriteAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs start-up work (backfill, seeding, the bootstrap key) while no other process sharing the store runs its
    /// own: replicas starting together take turns.
    /// </summary>
    Task ExclusiveAsync(Func<Task> work, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="work"/> in a read-only snapshot.</summary>
    /// <remarks>Units' deltas may lag there: a store may write them to the units' rows after the charges that change them.</remarks>
    Task<T> ReadAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="work"/>, which only reads, where it sees every acknowledged write, units' deltas included:
    /// for a unit's spend.
    /// </summary>
    Task<T> ReadCurrentAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default);
}
