using System.ComponentModel.DataAnnotations;

namespace Accounting.Accountant.Auth;

/// <summary>API keys (configuration section <c>Accountant:Auth</c>).</summary>
public sealed class AuthOptions
{
    /// <summary>
    /// Whether requests need an API key (default true). false is a development switch: every request then acts as
    /// an admin named "development", and a warning says so at start.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Where the bootstrap admin key is written when the service starts with no active admin key (owner-only on
    /// Unix). Default: admin.key next to the database.
    /// </summary>
    public string? BootstrapKeyPath { get; set; }

    /// <summary>
    /// How long, in seconds, a replica trusts a key it has read as active without reading it again (default 1; 0 reads
    /// it on every request). A revocation takes effect at once on the replica that made it and within this time on
    /// the others. Reading it each time is a read transaction per request: uniform charges took 0.28–0.34 ms of service
    /// CPU each that way, against 0.23–0.25 ms with this cache (docs/performance.md, eighth round).
    /// </summary>
    [Range(0, 60)]
    public double KeyCacheSeconds { get; set; } = 1;
}
