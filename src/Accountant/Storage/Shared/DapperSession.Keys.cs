using Accounting.Accountant.Contracts;

namespace Accounting.Accountant.Storage.Shared;

internal abstract partial class DapperSession
{
    private const string KeyColumns =
        "id AS Id, name AS Name, role AS Role, hash AS Hash, created_at AS CreatedAt, created_by AS CreatedBy, revoked_at AS RevokedAt";

    /// <inheritdoc />
    public ApiKeyRow? GetKey(string id) => Single<StoredKey>($"SELECT {KeyColumns} FROM api_keys WHERE id = @id", new { id })?.ToRow();

    /// <inheritdoc />
    public IReadOnlyList<ApiKeyRow> ListKeys() =>
        [.. Query<StoredKey>($"SELECT {KeyColumns} FROM api_keys ORDER BY created_at, id").Select(k => k.ToRow())];

    /// <inheritdoc />
    public long ActiveKeys(KeyRole role) =>
        Single<long>("SELECT COUNT(*) FROM api_keys WHERE role = @role AND revoked_at IS NULL", new { role = Names.Of(role) });

    /// <inheritdoc />
    public void AddKey(ApiKeyRow key) =>
        Execute(
            """
            INSERT INTO api_keys (id, name, role, hash, created_at, created_by)
            VALUES (@Id, @Name, @role, @Hash, @createdAt, @CreatedBy)
            """, new { key.Id, key.Name, role = Names.Of(key.Role), key.Hash, createdAt = StoredTime.Text(key.CreatedAt), key.CreatedBy });

    /// <inheritdoc />
    public void RevokeKey(string id, DateTimeOffset at) =>
        Execute("UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL", new { id, at = StoredTime.Text(at) });
}
