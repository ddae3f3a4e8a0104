using Accounting.Accountant.Contracts;
using Accounting.TestSupport;

namespace Accounting.Accountant.Tests.Infrastructure;

/// <summary>API keys for tests: created through the admin endpoint, used through their own clients.</summary>
public static class Keys
{
    /// <summary>Creates a key with the admin's client.</summary>
    public static Task<CreatedKeyResponse> CreateKeyAsync(this Api admin, string name, KeyRole role) =>
        admin.PostAsync<CreatedKeyResponse>("v1/keys", new CreateKeyRequest(name, role));

    /// <summary>A client of the service that sends <paramref name="key"/> (none when null).</summary>
    public static Api As(this ServiceProcess service, string? key) => new(service.CreateClient(key));

    /// <summary>The key's id: the part before the '.'.</summary>
    public static string IdOf(string key) => key.Split('.')[0];
}
