using System.Text;
using Microsoft.Extensions.Options;

namespace Accounting.Accountant.Auth;

/// <summary>
/// The first admin key, with no default secret: when the service starts with authentication on and no active admin
/// key, it creates one and writes it to a file only its owner can read, logging the path (never the key).
/// </summary>
public static partial class BootstrapKey
{
    /// <summary>Creates the bootstrap key if needed, or warns loudly that authentication is off.</summary>
    public static async Task EnsureAsync(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<IOptions<AccountantOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BootstrapKey));
        if (!options.Auth.Enabled)
        {
            AuthenticationOff(logger, ApiKeyAuthentication.Development);
            return;
        }
        var path = options.BootstrapKeyFile();
        var id = await services.GetRequiredService<ApiKeys>().CreateFirstAdminAsync(key => Write(path, key), CancellationToken.None)
            .ConfigureAwait(false);
        if (id is not null)
        {
            Created(logger, id, path);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "AUTHENTICATION IS OFF (Accountant:Auth:Enabled=false): every request acts as "
        + "'{Actor}' with every role. This is a development switch; never expose the service like this.")]
    private static partial void AuthenticationOff(ILogger logger, string actor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No admin API key existed: created admin key {KeyId} and wrote it to {Path}, readable by "
        + "its owner only. Use it to create named keys (POST /v1/keys), then revoke it.")]
    private static partial void Created(ILogger logger, string keyId, string path);

    private static void Write(string path, string key)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // A new file takes the owner-only mode; an existing one would keep its own, so it goes first.
        File.Delete(path);
        var file = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var writer = new StreamWriter(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), file);
        writer.WriteLine(key);
    }
}
