using Accounting.Accountant.Storage;

namespace Accounting.Accountant.Auth;

/// <summary>
/// Active keys read from the store in the last <see cref="AuthOptions.KeyCacheSeconds"/>, so that a request does not
/// open a read transaction for its key every time. A revocation through this process evicts its key at once; one made
/// through another replica reaches this one when the entry expires. Only active keys that exist are kept, so the
/// entries are bounded by the keys issued, whatever ids callers send.
/// </summary>
internal sealed class VerifiedKeys(TimeProvider clock, TimeSpan lifetime)
{
    private readonly Dictionary<string, (ApiKeyRow Row, long Until)> _rows = [];
    private readonly Lock _lock = new();
    private long _revocations;

    /// <summary>Counts revocations, so that a row read before one is not kept after it (see <see cref="Keep"/>).</summary>
    public long Revocations
    {
        get
        {
            lock (_lock)
            {
                return _revocations;
            }
        }
    }

    /// <summary>The active row kept for <paramref name="id"/>, or null when none is or it has expired.</summary>
    public ApiKeyRow? Find(string id)
    {
        lock (_lock)
        {
            return _rows.TryGetValue(id, out var kept) && clock.GetTimestamp() < kept.Until ? kept.Row : null;
        }
    }

    /// <summary>
    /// Keeps an active row read after <see cref="Revocations"/> was <paramref name="revocationsBefore"/>; if a
    /// revocation has come since, the read may predate its commit and the row is not kept.
    /// </summary>
    public void Keep(ApiKeyRow row, long revocationsBefore)
    {
        if (lifetime <= TimeSpan.Zero || row.RevokedAt is not null)
        {
            return;
        }
        var until = clock.GetTimestamp() + (long)(lifetime.TotalSeconds * clock.TimestampFrequency);
        lock (_lock)
        {
            if (_revocations == revocationsBefore)
            {
                _rows[row.Id] = (row, until);
            }
        }
    }

    /// <summary>Forgets a key revoked through this process.</summary>
    public void Evict(string id)
    {
        lock (_lock)
        {
            _revocations++;
            _rows.Remove(id);
        }
    }
}
