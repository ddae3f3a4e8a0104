using System.Text.Json.Serialization;

namespace Accounting.Accountant.Contracts;

/// <summary>What an API key may do (the matrix is in the service's Auth/Permissions.cs and the README).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KeyRole>))]
public enum KeyRole
{
    /// <summary>Policies, per-unit budgets, keys, and every task.</summary>
    [JsonStringEnumMemberName("admin")]
    Admin,

    /// <summary>Registers units and cohorts, creates tasks and charges the tasks it created.</summary>
    [JsonStringEnumMemberName("trainer")]
    Trainer,

    /// <summary>Reads and exports: budgets, units, tasks, the ledger, metrics.</summary>
    [JsonStringEnumMemberName("auditor")]
    Auditor,
}

/// <summary>A new API key.</summary>
/// <param name="Name">Who or what holds it (e.g. "alice", "ci-trainer"): 1–128 characters, no control characters.</param>
/// <param name="Role">admin, trainer or auditor.</param>
public sealed record CreateKeyRequest(string Name, KeyRole Role);

/// <summary>A key as listed: never its secret.</summary>
/// <param name="Id">The key's public id: the part of the key before the '.', and the ledger's actor for its requests.</param>
/// <param name="Name">Who or what holds it.</param>
/// <param name="Role">Its role.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="CreatedBy">The actor that created it (a key id, or "system" for the bootstrap key and the keys command).</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
public sealed record KeyResponse(
    string Id, string Name, KeyRole Role, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);

/// <summary>A key just created, with its secret: shown this once and stored only as a hash.</summary>
/// <param name="Id">The key's public id.</param>
/// <param name="Name">Who or what holds it.</param>
/// <param name="Role">Its role.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Key">The key to send as <c>Authorization: Bearer &lt;key&gt;</c>; it cannot be shown again.</param>
public sealed record CreatedKeyResponse(string Id, string Name, KeyRole Role, DateTimeOffset CreatedAt, string Key);
