namespace Accounting.Accountant.Storage.Postgres;

/// <summary>
/// Chains staged ledger entries for the writes of one replica, a round at a time on its own thread: a write that has
/// committed waits for the next round, and one round seals everything committed before it began. Sealing takes the
/// chain's head row, so rounds of all replicas run one after another; with a round per write instead, every write
/// would queue for that row in turn.
/// </summary>
internal sealed class LedgerSealer : IDisposable
{
    private readonly Action _sealAll;
    private readonly Thread _thread;
    private readonly object _gate = new(); // a Monitor: rounds wait on it for writes
    private List<TaskCompletionSource> _waiting = [];
    private bool _stopping;

    /// <summary>Seals with <paramref name="sealAll"/>, which chains every committed staged entry.</summary>
    public LedgerSealer(Action sealAll)
    {
        _sealAll = sealAll;
        _thread = new Thread(Run) { IsBackground = true, Name = "postgres-ledger-sealer" };
        _thread.Start();
    }

    /// <summary>Completes once a round that began after this call has sealed (call it after the commit).</summary>
    public Task SealedAsync()
    {
        var sealedOnce = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _waiting.Add(sealedOnce);
            Monitor.Pulse(_gate);
        }
        return sealedOnce.Task;
    }

    /// <summary>Writes waiting already get their round before the thread stops.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }
        _thread.Join();
    }

    private void Run()
    {
        while (true)
        {
            List<TaskCompletionSource> round;
            lock (_gate)
            {
                while (_waiting.Count == 0 && !_stopping)
                {
                    Monitor.Wait(_gate);
                }
                if (_waiting.Count == 0)
                {
                    return;
                }
                // Everyone here committed before this round reads what is staged.
                (round, _waiting) = (_waiting, []);
            }
            try
            {
                _sealAll();
                round.ForEach(w => w.SetResult());
            }
            catch (Exception exception) when (exception is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // Committed but not yet chained: the caller is not told it succeeded; the next round (or start) chains it.
                round.ForEach(w => w.SetException(exception));
            }
        }
    }
}
