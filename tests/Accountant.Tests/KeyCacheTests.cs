using Accounting.Accountant.Auth;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Storage;
using Accounting.Accountant.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace Accounting.Accountant.Tests;

// A replica trusts a key it has verified for a while instead of reading it on every request. A revocation must still
// win: at once on the replica that made it, even over a verification that read the key just before it committed, and
// once the trust has expired on a replica that did not make it.
public sealed class KeyCacheTests : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private readonly string _directory = Directory.CreateTempSubdirectory("key-cache-").FullName;
    private readonly ManualClock _clock = new();

    [Fact]
    public async Task A_key_read_just_before_its_revocation_committed_is_not_trusted_after_it()
    {
        using var store = Open();
        var racing = new RevokingAfterRead(store);
        var keys = Keys(racing);
        var trainer = await keys.CreateAsync(new CreateKeyRequest("trainer", KeyRole.Trainer), CancellationToken.None);
        racing.Revoke = () => keys.RevokeAsync(trainer.Id, CancellationToken.None);

        // This request read the key before the revocation committed, so it may still pass; the next one may not.
        Assert.NotNull(await keys.VerifyAsync(trainer.Id, trainer.Key, CancellationToken.None));
        Assert.Null(await keys.VerifyAsync(trainer.Id, trainer.Key, CancellationToken.None));
    }

    [Fact]
    public async Task A_key_revoked_elsewhere_is_trusted_until_its_lifetime_ends_and_refused_after()
    {
        using var store = Open();
        var here = Keys(store);
        var elsewhere = Keys(store); // another replica: its revocations do not reach this one's trust
        var trainer = await here.CreateAsync(new CreateKeyRequest("trainer", KeyRole.Trainer), CancellationToken.None);
        Assert.NotNull(await here.VerifyAsync(trainer.Id, trainer.Key, CancellationToken.None));

        await elsewhere.RevokeAsync(trainer.Id, CancellationToken.None);
        Assert.Null(await elsewhere.VerifyAsync(trainer.Id, trainer.Key, CancellationToken.None));
        _clock.Advance(Lifetime - TimeSpan.FromMilliseconds(1));
        Assert.NotNull(await here.VerifyAsync(trainer.Id, trainer.Key, CancellationToken.None));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await here.VerifyAsync(trainer.Id, trainer.Key, CancellationToken.None));
    }

    [Fact]
    public async Task A_trusted_key_still_needs_its_secret()
    {
        using var store = Open();
        var keys = Keys(store);
        var trainer = await keys.CreateAsync(new CreateKeyRequest("trainer", KeyRole.Trainer), CancellationToken.None);
        Assert.NotNull(await keys.VerifyAsync(trainer.Id, trainer.Key, CancellationToken.None));

        Assert.Null(await keys.VerifyAsync(trainer.Id, $"{trainer.Id}.not-its-secret", CancellationToken.None));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private ApiKeys Keys(IAccountingStore store)
    {
        var options = Options.Create(new AccountantOptions { Auth = { KeyCacheSeconds = Lifetime.TotalSeconds } });
        return new ApiKeys(store, new Ledger(_clock, Service.Instance), Service.Instance, _clock, options);
    }

    private SqliteStore Open() =>
        new(Options.Create(new AccountantOptions { Sqlite = { Path = Path.Combine(_directory, "accounting.db") } }));

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }

    private sealed class Service : ICaller
    {
        public static readonly Service Instance = new();

        public string Actor => "test";

        public bool ReachesAllTasks => true;
    }

    // The real store, with a revocation run right after the next read: what a revocation committing between a
    // verification's read and its use of the row looks like.
    private sealed class RevokingAfterRead(IAccountingStore store) : IAccountingStore
    {
        public Func<Task>? Revoke { get; set; }

        public Task<T> WriteAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default) =>
            store.WriteAsync(work, cancellationToken);

        public Task ExclusiveAsync(Func<Task> work, CancellationToken cancellationToken = default) =>
            store.ExclusiveAsync(work, cancellationToken);

        public Task<T> ReadCurrentAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default) =>
            store.ReadCurrentAsync(work, cancellationToken);

        public async Task<T> ReadAsync<T>(Func<IStoreSession, T> work, CancellationToken cancellationToken = default)
        {
            var read = await store.ReadAsync(work, cancellationToken);
            if (Revoke is { } revoke)
            {
                Revoke = null;
                await revoke();
            }
            return read;
        }
    }
}
