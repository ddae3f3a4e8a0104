namespace Accounting.Accountant.Storage;

/// <summary>
/// The storage seam. Work runs inside one transaction: writes are serialised so that a charge sees and updates the
/// spent curves of its units atomically, and reads see a consistent snapshot.
/// </summary>
public interface IAccountingStore
{
    /// <summary>Runs <paramref name="work"/> in a write transaction, committed if it returns, rolled back if it throws.</summary>
    Task<T> WriteAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="work"/> in a read-only snapshot.</summary>
    Task<T> ReadAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default);
}
