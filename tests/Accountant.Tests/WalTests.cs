using Accounting.Accountant.Tests.Infrastructure;
using Accounting.TestSupport;

namespace Accounting.Accountant.Tests;

// The SQLite store copies its WAL into the database off the writer's thread; under a load that never pauses, the WAL
// must still be started afresh from time to time, or the file grows by every page ever written.
public class WalTests
{
    private const int Clients = 32;
    private const int ChargesEach = 400;

    // Twice the restart threshold (64 MiB), with room for what arrives while a restart waits for its pause.
    private const long MaxWalBytes = 192L << 20;

    [Fact]
    public async Task Under_continuous_charges_the_wal_is_started_afresh_and_stays_bounded()
    {
        await using var service = await ServiceProcess.StartAsync(new Dictionary<string, string>
        {
            ["Accountant__DefaultBudget__Epsilon"] = "1000000",
        });
        using var api = new Api(service.CreateClient());
        for (var c = 0; c < Clients; c++)
        {
            await api.CohortAsync($"wal-{c}", Builders.UnitIds($"wal-{c}", 10));
            await api.DpSgdTaskAsync($"wal-{c}-task", $"wal-{c}", steps: 100_000, samplingRate: 0.001, epsilon: 1000);
        }
        var wal = new FileInfo(service.DatabasePath + "-wal");
        long largest = 0;
        using var done = new CancellationTokenSource();
        var watch = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                wal.Refresh();
                largest = Math.Max(largest, wal.Exists ? wal.Length : 0);
                await Task.Delay(50);
            }
        });

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
        {
            for (var step = 0; step < ChargesEach; step++)
            {
                await api.ChargeAsync($"wal-{c}-task", step);
            }
        }));
        await done.CancelAsync();
        await watch;

        // 12,800 charges write several hundred MiB of WAL frames (each charge dirties several pages of its own task).
        var database = new FileInfo(service.DatabasePath).Length;
        Assert.True(largest <= MaxWalBytes, $"the WAL reached {largest >> 20} MiB (database {database >> 20} MiB)");
        Assert.Equal(ChargesEach, (await api.TaskAsync("wal-0-task")).NextStep);
    }
}
