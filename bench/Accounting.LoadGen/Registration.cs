using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Accounting.LoadGen;

/// <summary>Bulk registration: one cohort filled with new units in batches (POST /v1/cohorts/{id}/members), one request at a time.</summary>
internal static class Registration
{
    public static async Task<Result> RunAsync(Target target, Options options)
    {
        await target.PostAsync("v1/cohorts", new { id = $"{target.Run}-bulk", unitKind = "example" }).ConfigureAwait(false);
        var batches = (int)((options.RegisterUnits + options.RegisterBatch - 1) / options.RegisterBatch);
        var latencies = new Latencies();
        var cpu = target.CpuTime;
        var clock = Stopwatch.StartNew();
        var next = Task.Run(() => Body(0, options));
        for (var b = 0; b < batches; b++)
        {
            var body = await next.ConfigureAwait(false);
            var from = (long)(b + 1) * options.RegisterBatch;
            next = Task.Run(() => Body(from, options)); // the next body is written while this one is sent
            var started = clock.Elapsed;
            await target.PostAsync($"v1/cohorts/{target.Run}-bulk/members", body).ConfigureAwait(false);
            latencies.Record(clock.Elapsed - started);
        }
        var elapsed = clock.Elapsed;
        var memory = target.ProcessIds.Select(ProcessStats.Memory).ToArray(); // per replica, joined by "+"
        var notes = memory.Length > 0
            ? string.Create(CultureInfo.InvariantCulture,
                $"service RSS {string.Join('+', memory.Select(m => m.RssMiB))} MiB after, peak (VmHWM) {string.Join('+', memory.Select(m => m.PeakMiB))} MiB")
            : "service memory not read (no --pid)";
        notes += "; " + target.CpuPerRequest(cpu, batches);
        return Result.Of("Bulk registration", string.Create(CultureInfo.InvariantCulture,
                $"{options.RegisterUnits:N0} new units into one cohort, {options.RegisterBatch:N0} per request, sequential; per-request latency"),
            string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.0} s in all ({options.RegisterUnits / elapsed.TotalSeconds:0} units/s)"),
            latencies, notes);
    }

    private static byte[] Body(long from, Options options)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("units");
            for (var i = from; i < Math.Min(from + options.RegisterBatch, options.RegisterUnits); i++)
            {
                json.WriteStringValue(string.Create(CultureInfo.InvariantCulture, $"unit-{i:D9}"));
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return stream.ToArray();
    }
}
