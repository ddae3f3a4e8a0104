using System.Globalization;

namespace Accounting.LoadGen;

/// <summary>Command-line options: <c>--name value</c> pairs.</summary>
internal sealed record Options(
    string[] Scenarios, string? Url, string? Key, int? Pid, string Synchronous, int Seconds, int WarmUp, int Rate, int Clients,
    int BatchUnits, bool RandomIds, long RegisterUnits, int RegisterBatch, bool Postgres, int Replicas)
{
    public const string Usage =
        """
        usage: Accounting.LoadGen [--scenarios uniform-open,uniform-closed,per-unit,register] [--synchronous FULL|NORMAL]
                                  [--seconds 20] [--warm-up 10] [--rate 1000] [--clients 64] [--batch-units 1000]
                                  [--unit-ids numbered|random]
                                  [--register-units 10000000] [--register-batch 1000000]
                                  [--postgres [--replicas 2]]
                                  [--url http://127.0.0.1:5000/ --key <admin key> [--pid <service pid>]]
        Without --url each scenario starts the service (src/Accountant's Release build) on a temporary database: a
        SQLite file, or with --postgres that many replicas on one fresh PostgreSQL database (ACCOUNTING_TEST_POSTGRES,
        or a throwaway cluster), the requests spread over them round-robin. Each charge scenario first runs its own load
        for --warm-up seconds, unmeasured: a fresh service compiles its hot paths again (tiered JIT) for its first seconds.
        A cohort's members are named after it and numbered, or with --unit-ids random are random GUIDs, which share no
        prefix for the ledger's compact lists to leave out.
        """;

    public int Connections => Math.Max(Clients, 256);

    public static Options Parse(string[] args)
    {
        var postgres = args.Contains("--postgres"); // the one flag without a value
        args = [.. args.Where(a => a != "--postgres")];
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            named[args[i].TrimStart('-')] = args[i + 1];
        }
        if (args.Length % 2 != 0)
        {
            throw new ArgumentException(Usage);
        }
        string Text(string name, string fallback) => named.GetValueOrDefault(name, fallback);
        long Number(string name, long fallback) => named.TryGetValue(name, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new Options(
            Text("scenarios", "uniform-open,uniform-closed,per-unit,register").Split(','),
            named.GetValueOrDefault("url"), named.GetValueOrDefault("key"),
            named.TryGetValue("pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
            Text("synchronous", "FULL"), (int)Number("seconds", 20), (int)Number("warm-up", 10), (int)Number("rate", 1000), (int)Number("clients", 64),
            (int)Number("batch-units", 1000), Text("unit-ids", "numbered") switch
            {
                "numbered" => false,
                "random" => true,
                _ => throw new ArgumentException(Usage),
            },
            Number("register-units", 10_000_000), (int)Number("register-batch", 1_000_000),
            postgres, (int)Number("replicas", postgres ? 2 : 1));
    }
}
