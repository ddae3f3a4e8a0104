namespace Accounting.Accountant.Storage;

/// <summary>
/// A write met the effects of a concurrent one that it cannot build on (PostgreSQL): nothing of it is committed, and
/// the store runs it again from the start, when it sees the other write's result.
/// </summary>
public sealed class StoreConflictException(string message) : Exception(message);
