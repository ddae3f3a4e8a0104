using System.Text.Json;
using Accounting.Accountant.Contracts;

namespace Accounting.Accountant.Tests.Infrastructure;

/// <summary>A charge the service answered: the answer, and the sensitivities it was asked with (a replay sends them again).</summary>
public sealed record AcknowledgedCharge(ChargeResponse Answer, IReadOnlyList<UnitSensitivity>? Sensitivities = null);

/// <summary>The charges a ledger export holds, checked against what the service acknowledged to its clients.</summary>
public static class LedgerCharges
{
    /// <summary>
    /// Asserts that the ledger holds every acknowledged charge and no other (clients retry until answered, so a retry
    /// charged again would leave a charge nobody was told of), no (task, step) twice, and that a replay of each answers
    /// what was acknowledged: nothing acknowledged was lost and no retry was charged again.
    /// </summary>
    public static async Task AssertEachAcknowledgedOnceAsync(Api api, IReadOnlyDictionary<(string Task, long Step), AcknowledgedCharge> acknowledged)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(acknowledged);
        var charges = new Dictionary<(string, long), int>();
        using var export = await ExportFile.DownloadAsync(api.Client).ConfigureAwait(false);
        foreach (var line in export.Lines())
        {
            using var entry = JsonDocument.Parse(line);
            if (entry.RootElement.GetProperty("kind").GetString() == "charge")
            {
                var payload = entry.RootElement.GetProperty("payload");
                var key = (payload.GetProperty("task").GetString()!, payload.GetProperty("step").GetInt64());
                charges[key] = charges.GetValueOrDefault(key) + 1;
            }
        }
        Assert.All(charges, c => Assert.Equal(1, c.Value)); // no retry charged twice
        Assert.All(acknowledged.Keys, k => Assert.True(charges.ContainsKey(k), $"acknowledged {k} is not in the ledger"));
        Assert.All(charges.Keys, k => Assert.True(acknowledged.ContainsKey(k), $"{k} was charged but never acknowledged"));
        foreach (var ((task, step), (answer, sensitivities)) in acknowledged)
        {
            // What was acknowledged is what the service still holds: a replay answers the same.
            var replay = await api.ChargeAsync(task, step, sensitivities).ConfigureAwait(false);
            Assert.Equal(answer.TaskSpent, replay.TaskSpent);
            Assert.Equal(answer.ExcludedUnits, replay.ExcludedUnits);
        }
    }
}
