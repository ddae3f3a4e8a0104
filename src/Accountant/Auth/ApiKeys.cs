using System.Security.Cryptography;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Storage;
using Microsoft.Extensions.Options;

namespace Accounting.Accountant.Auth;

/// <summary>Creating, listing, revoking and verifying API keys; creations and revocations are recorded in the ledger.</summary>
public sealed class ApiKeys(IAccountingStore store, Ledger ledger, ICaller caller, TimeProvider clock, IOptions<AccountantOptions> options)
{
    private readonly VerifiedKeys _verified = new(clock, TimeSpan.FromSeconds(options.Value.Auth.KeyCacheSeconds));

    /// <summary>Creates a key; its secret is in the answer and nowhere else.</summary>
    public Task<CreatedKeyResponse> CreateAsync(CreateKeyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = Ids.Require(request.Name, "name");
        if (!Enum.IsDefined(request.Role))
        {
            throw ProblemException.Invalid("role", "must be admin, trainer or auditor");
        }
        return store.WriteAsync(session => Add(session, name, request.Role), cancellationToken);
    }

    /// <summary>
    /// Creates an admin key named "bootstrap" if no admin key is active, handing it to <paramref name="keep"/> before
    /// it is committed (if keeping fails, no key exists that nobody holds). Returns the new key's id, or null.
    /// </summary>
    public Task<string?> CreateFirstAdminAsync(Action<string> keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keep);
        return store.WriteAsync(session =>
        {
            if (session.ActiveKeys(KeyRole.Admin) > 0)
            {
                return null;
            }
            var created = Add(session, "bootstrap", KeyRole.Admin);
            keep(created.Key);
            return created.Id;
        }, cancellationToken);
    }

    /// <summary>Every key, without secrets.</summary>
    public Task<IReadOnlyList<KeyResponse>> ListAsync(CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<KeyResponse>>(session => [.. session.ListKeys().Select(ToResponse)], cancellationToken);

    /// <summary>Revokes a key (again: no change). The last active admin key stays, so that someone can still manage keys.</summary>
    public async Task RevokeAsync(string id, CancellationToken cancellationToken)
    {
        await store.WriteAsync(session =>
        {
            var key = session.GetKey(id) ?? throw ProblemException.NotFound("key", id);
            if (key.RevokedAt is not null)
            {
                return 0;
            }
            if (key.Role == KeyRole.Admin && session.ActiveKeys(KeyRole.Admin) == 1)
            {
                throw ProblemException.ForField(ProblemKind.Conflict, "id", "this is the last active admin key; create another admin key first");
            }
            session.RevokeKey(id, ledger.Now);
            ledger.Append(session, LedgerKinds.KeyRevoked, null, new { key = id });
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        _verified.Evict(id); // once committed: a request verified before it came back still saw the key active
    }

    /// <summary>The active key with this id whose hash matches <paramref name="key"/>, or null.</summary>
    public async Task<ApiKeyRow?> VerifyAsync(string id, string key, CancellationToken cancellationToken)
    {
        var row = _verified.Find(id);
        if (row is null)
        {
            var revocations = _verified.Revocations;
            row = await store.ReadAsync(session => session.GetKey(id), cancellationToken).ConfigureAwait(false);
            if (row is not null)
            {
                _verified.Keep(row, revocations);
            }
        }
        // Constant-time comparison, so that response times say nothing about how much of a guess was right.
        return row is { RevokedAt: null } && CryptographicOperations.FixedTimeEquals(row.Hash, ApiKeyToken.Hash(key)) ? row : null;
    }

    private CreatedKeyResponse Add(IStoreSession session, string name, KeyRole role)
    {
        var (id, key) = ApiKeyToken.New();
        var row = new ApiKeyRow(id, name, role, ApiKeyToken.Hash(key), ledger.Now, caller.Actor, null);
        session.AddKey(row);
        ledger.Append(session, LedgerKinds.KeyCreated, null, new { key = id, name, role });
        return new CreatedKeyResponse(id, name, role, row.CreatedAt, key);
    }

    private static KeyResponse ToResponse(ApiKeyRow row) => new(row.Id, row.Name, row.Role, row.CreatedAt, row.CreatedBy, row.RevokedAt);
}
