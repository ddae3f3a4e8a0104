namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// A write waiting for the group commit: its work, run on the writer thread in the caller's execution context (the
/// caller's identity flows in it), and the task its caller awaits, completed only once the commit is durable.
/// </summary>
internal abstract class PendingWrite
{
    /// <summary>Claims the write for running; false when its caller gave up before it started.</summary>
    public abstract bool TryStart();

    /// <summary>Runs the work inside the open transaction, keeping its result until <see cref="Succeed"/>.</summary>
    public abstract void Run(IStoreSession session);

    /// <summary>Hands the result to the caller (after the commit).</summary>
    public abstract void Succeed();

    /// <summary>Hands the caller an exception, unless it has its answer already.</summary>
    public abstract void Fail(Exception exception);
}

/// <inheritdoc cref="PendingWrite"/>
internal sealed class PendingWrite<T> : PendingWrite
{
    private const int Queued = 0, Started = 1, Cancelled = 2;

    private readonly Func<IStoreSession, T> _work;
    private readonly ExecutionContext? _context = ExecutionContext.Capture();
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenRegistration _registration;
    private int _state;
    private T? _result;

    public PendingWrite(Func<IStoreSession, T> work, CancellationToken cancellationToken)
    {
        _work = work;
        // Cancellation counts only while queued: once started, the work runs to commit or rollback.
        _registration = cancellationToken.Register(() =>
        {
            if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
            {
                _completion.TrySetCanceled(cancellationToken);
            }
        });
    }

    public Task<T> Task => _completion.Task;

    public override bool TryStart()
    {
        _registration.Dispose();
        return Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;
    }

    public override void Run(IStoreSession session)
    {
        if (_context is null)
        {
            _result = _work(session);
            return;
        }
        ExecutionContext.Run(_context, _ => _result = _work(session), null);
    }

    public override void Succeed() => _completion.TrySetResult(_result!); // set by Run, which returned

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}
