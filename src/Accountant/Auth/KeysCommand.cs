using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Storage;
using Microsoft.Extensions.Hosting;

namespace Accounting.Accountant.Auth;

/// <summary>
/// <c>keys create --role &lt;admin|trainer|auditor&gt; --name &lt;name&gt;</c>: creates a key directly in the database named by
/// the service's configuration (further arguments are configuration, e.g. <c>--Accountant:Sqlite:Path=…</c>) and
/// prints it on standard output, alone, so that it can be captured. For operators with access to the database: the
/// first named keys, or an admin key when none is left.
/// </summary>
public static class KeysCommand
{
    private const string Usage =
        "usage: keys create --role <admin|trainer|auditor> --name <name> [configuration, e.g. --Accountant:Sqlite:Path=data/accounting.db]";

    /// <summary>Runs the command; returns the process exit code (0 done, 2 wrong usage or input).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args is not ["create", ..])
        {
            await error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }
        string? role = null, name = null;
        var configuration = new List<string>();
        for (var i = 1; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--role" when i + 1 < args.Count:
                    role = args[++i];
                    break;
                case "--name" when i + 1 < args.Count:
                    name = args[++i];
                    break;
                default:
                    configuration.Add(args[i]);
                    break;
            }
        }
        var keyRole = Enum.GetValues<KeyRole>().Where(r => Names.Of(r) == role).Select(r => (KeyRole?)r).FirstOrDefault();
        if (keyRole is null || name is null)
        {
            await error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        // The service's own configuration sources (appsettings.json, environment, command line), without its web host.
        var builder = Host.CreateApplicationBuilder([.. configuration]);
        builder.Services.AddAccountant(builder.Configuration);
        using var host = builder.Build();
        try
        {
            var created = await host.Services.GetRequiredService<ApiKeys>()
                .CreateAsync(new CreateKeyRequest(name, keyRole.Value), CancellationToken.None).ConfigureAwait(false);
            await output.WriteLineAsync(created.Key).ConfigureAwait(false);
            await error.WriteLineAsync(
                $"Created {Names.Of(created.Role)} key {created.Id} for '{created.Name}'. It is shown only this once: the service keeps its hash.")
                .ConfigureAwait(false);
            return 0;
        }
        catch (ProblemException problem)
        {
            await error.WriteLineAsync(problem.Message).ConfigureAwait(false);
            return 2;
        }
    }
}
