using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Accounting.LoadGen;

/// <summary>
/// Batches of per-unit charges: each client's task trains on its own cohort, and every charge gives every member
/// its own sensitivity factor, so each request charges <see cref="Options.BatchUnits"/> units individually.
/// </summary>
internal static class PerUnitCharges
{
    private const int BodiesPerTask = 4;

    public static async Task<Result> ClosedLoopAsync(Target target, Options options)
    {
        var clients = Math.Min(options.Clients, 16);
        var bodies = new byte[clients][][];
        var random = new Random(7);
        for (var c = 0; c < clients; c++)
        {
            var cohort = string.Create(CultureInfo.InvariantCulture, $"{target.Run}-per-unit-{c}");
            var members = await target.CohortAsync(cohort, options.BatchUnits, options.RandomIds).ConfigureAwait(false);
            await target.TaskAsync(cohort + "-task", cohort).ConfigureAwait(false);
            bodies[c] = [.. Enumerable.Range(0, BodiesPerTask).Select(_ => Body(members, random))];
        }

        var latencies = new Latencies();
        var duration = TimeSpan.FromSeconds(options.Seconds);
        var warmUp = TimeSpan.FromSeconds(options.WarmUp);
        var cpu = (TimeSpan.Zero, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        _ = Task.Delay(warmUp).ContinueWith(_ => cpu = target.CpuTime, TaskScheduler.Default);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            for (var i = 0; clock.Elapsed < warmUp + duration; i++)
            {
                var started = clock.Elapsed;
                try
                {
                    await target.PostAsync($"v1/tasks/{target.Run}-per-unit-{c}-task/charges", bodies[c][i % BodiesPerTask], Guid.NewGuid().ToString("N")).ConfigureAwait(false);
                    if (started >= warmUp)
                    {
                        latencies.Record(clock.Elapsed - started);
                    }
                }
                catch (HttpRequestException)
                {
                    latencies.Fail();
                }
            }
        })).ConfigureAwait(false);
        var seconds = (clock.Elapsed - warmUp).TotalSeconds;
        var requests = latencies.Count / seconds;
        return Result.Of("Per-unit charges", $"closed loop, {clients} clients, {options.BatchUnits} units with sensitivities per request ({(options.RandomIds ? "random GUIDs" : "numbered ids")}), {options.Seconds} s",
            string.Create(CultureInfo.InvariantCulture, $"{requests * options.BatchUnits:0} unit charges/s"), latencies,
            string.Create(CultureInfo.InvariantCulture, $"{requests:0.0} requests/s; {target.CpuPerRequest(cpu, latencies.Count)}"));
    }

    private static byte[] Body(string[] members, Random random)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("sensitivities");
            foreach (var unit in members)
            {
                json.WriteStartObject();
                json.WriteString("unit", unit);
                json.WriteNumber("sensitivity", Math.Round(0.05 + 0.95 * random.NextDouble(), 3));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return stream.ToArray();
    }
}
