using System.Text.Json;
using Accounting.Mechanisms.Conversion;
using Accounting.TrainerAdapters.Client;

namespace Accounting.Demo.Tests;

/// <summary>An auditor's reading of one task's ledger: ε after each charge, from the charges' cost curves alone.</summary>
internal static class TaskLedger
{
    /// <summary>ε at <paramref name="delta"/> after each charge of the task, by step.</summary>
    public static async Task<SortedDictionary<long, double>> EpsilonByStepAsync(AccountantClient client, string taskId, double delta)
    {
        var epsilons = new SortedDictionary<long, double>();
        double[]? spent = null;
        await foreach (var line in client.LedgerAsync(new LedgerQuery(Task: taskId)))
        {
            using var entry = JsonDocument.Parse(line);
            if (entry.RootElement.GetProperty("kind").GetString() != "charge")
            {
                continue;
            }
            var payload = entry.RootElement.GetProperty("payload");
            var cost = payload.GetProperty("cost");
            var orders = cost.GetProperty("orders").EnumerateArray().Select(o => o.GetDouble()).ToArray();
            var values = cost.GetProperty("values").EnumerateArray()
                .Select(v => v.ValueKind == JsonValueKind.Null ? double.PositiveInfinity : v.GetDouble()).ToArray();
            spent ??= new double[values.Length];
            for (var i = 0; i < spent.Length; i++)
            {
                spent[i] += values[i];
            }
            epsilons[payload.GetProperty("step").GetInt64()] = RdpConversion.Epsilon(orders, spent, delta).Epsilon;
        }
        return epsilons;
    }
}
