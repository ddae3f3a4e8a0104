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
}
