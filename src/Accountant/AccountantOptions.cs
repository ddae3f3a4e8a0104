using System.ComponentModel.DataAnnotations;
using Accounting.Accountant.Auth;
using Accounting.Mechanisms.Events;
using Microsoft.Extensions.Options;

namespace Accounting.Accountant;

/// <summary>The service's settings (configuration section <c>Accountant</c>), validated on start.</summary>
public sealed class AccountantOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Accountant";

    /// <summary>Which store holds the books.</summary>
    [ValidateObjectMembers]
    public StorageOptions Storage { get; set; } = new();

    /// <summary>The embedded store.</summary>
    [ValidateObjectMembers]
    public SqliteOptions Sqlite { get; set; } = new();

    /// <summary>The shared store of several replicas.</summary>
    [ValidateObjectMembers]
    public PostgresOptions Postgres { get; set; } = new();

    /// <summary>API keys.</summary>
    [ValidateObjectMembers]
    public AuthOptions Auth { get; set; } = new();

    /// <summary>Request rates per caller.</summary>
    [ValidateObjectMembers]
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>The lifetime budget of every unit without an override, seeding each unit kind's policy in a new database.</summary>
    public DefaultBudgetOptions DefaultBudget { get; set; } = new();

    /// <summary>At most this many newly excluded unit ids are listed in a charge's answer; the rest are paged.</summary>
    [Range(1, 1_000_000)]
    public int MaxListedExclusions { get; set; } = 10_000;

    /// <summary>Where the bootstrap admin key goes: as configured, or admin.key next to the database.</summary>
    public string BootstrapKeyFile() =>
        Auth.BootstrapKeyPath ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(Sqlite.Path)) ?? ".", "admin.key");
}

/// <summary>The store: one SQLite file (the default), or a PostgreSQL database that several replicas share.</summary>
public sealed class StorageOptions
{
    /// <summary>The provider name of SQLite.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>The provider name of PostgreSQL.</summary>
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    [RegularExpression("^(sqlite|postgres)$")]
    public string Provider { get; set; } = Sqlite;
}

/// <summary>The PostgreSQL database and how many write transactions a replica runs at once.</summary>
public sealed class PostgresOptions
{
    /// <summary>An Npgsql connection string (required with the postgres provider).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Write transactions in flight per replica. Each holds a pooled connection and a thread (the domain runs
    /// synchronously) while it waits on its round trips; writes on different units do not wait for each other, so this
    /// bounds load, not correctness. Measured with 2 replicas, PostgreSQL and the load on 2 shared cores: 2 gave 227
    /// charges/s, 8 gave 193.
    /// </summary>
    [Range(1, 256)]
    public int MaxConcurrentWrites { get; set; } = 2;
}

/// <summary>Where and how durably the SQLite file is written.</summary>
public sealed class SqliteOptions
{
    /// <summary>Path of the database file, created with its directory if missing.</summary>
    [Required]
    public string Path { get; set; } = "data/accounting.db";

    /// <summary>
    /// SQLite's synchronous setting: FULL (default) syncs the WAL on every commit, so an acknowledged charge survives
    /// power loss; NORMAL survives process crashes only.
    /// </summary>
    [RegularExpression("^(FULL|NORMAL|EXTRA)$")]
    public string Synchronous { get; set; } = "FULL";

    /// <summary>
    /// Longest time, in milliseconds, that units' deltas changed by charges stay in the writer's memory (and in the
    /// log committed with each charge) before they are written to the units' rows; 100,000 units pending also write them.
    /// </summary>
    [Range(1, 60_000)]
    public int DeltaFlushMilliseconds { get; set; } = 1000;
}

/// <summary>A default lifetime budget: (ε, δ) on an order grid, or ρ.</summary>
public sealed class DefaultBudgetOptions
{
    /// <summary>ε of the (ε, δ) budget.</summary>
    public double? Epsilon { get; set; } = 8;

    /// <summary>δ of the (ε, δ) budget.</summary>
    public double? Delta { get; set; } = 1e-6;

    /// <summary>ρ of a zCDP budget (instead of ε and δ).</summary>
    public double? Rho { get; set; }

    /// <summary>Order grid key for the individual filter.</summary>
    public string Grid { get; set; } = "filter/v1";

    /// <summary>Neighbouring relation of the budget.</summary>
    public NeighbouringRelation Relation { get; set; } = NeighbouringRelation.AddOrRemoveOne;

}
