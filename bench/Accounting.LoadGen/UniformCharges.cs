using System.Diagnostics;
using System.Globalization;

namespace Accounting.LoadGen;

/// <summary>
/// Many tasks charging uniform steps (every member of a task's cohort pays the plan's step): each request is
/// <c>{}</c> with a fresh Idempotency-Key, so the service charges the task's next step.
/// </summary>
internal static class UniformCharges
{
    private const int Tasks = 64;
    private const int CohortSize = 1000;
    private static readonly byte[] Body = "{}"u8.ToArray();

    /// <summary>Open loop: requests sent on a fixed schedule whatever the answers do; latency counts from the scheduled time.</summary>
    public static async Task<Result> OpenLoopAsync(Target target, Options options)
    {
        var tasks = await SetUpAsync(target).ConfigureAwait(false);
        await OpenLoopAsync(target, tasks, options.Rate, options.WarmUp, new Latencies(), new Latencies()).ConfigureAwait(false); // warm-up
        var (latencies, lags) = (new Latencies(), new Latencies());
        var cpu = target.CpuTime;
        var before = await target.ChargesAnsweredAsync().ConfigureAwait(false);
        var elapsed = await OpenLoopAsync(target, tasks, options.Rate, options.Seconds, latencies, lags).ConfigureAwait(false);
        var after = await target.ChargesAnsweredAsync().ConfigureAwait(false);
        var served = (double)(after.Within10Ms - before.Within10Ms) / Math.Max(1, after.All - before.All);
        return Result.Of("Uniform cohort charges", $"open loop, {options.Rate}/s for {options.Seconds} s, {Tasks} tasks",
            string.Create(CultureInfo.InvariantCulture, $"{latencies.Count / elapsed.TotalSeconds:0} charges/s"), latencies,
            string.Create(CultureInfo.InvariantCulture,
                $"{latencies.Count} charges; {target.CpuPerRequest(cpu, latencies.Count)}; the generator sent late by {lags.Percentile(0.5):0.00} ms (median), {lags.Percentile(0.99):0.00} ms (p99), counted in the latency; the service's own histogram (/metrics) had {served:0.0%} of them within 10 ms"));
    }

    // The lag of each send behind its scheduled time is the generator's own (its share of the cores); it is kept in
    // the latency, which counts from the schedule, and reported beside it.
    private static async Task<TimeSpan> OpenLoopAsync(Target target, string[] tasks, int rate, int seconds, Latencies latencies, Latencies lags)
    {
        var clock = Stopwatch.StartNew();
        var sent = await Schedule.RunAsync(rate * seconds, rate, clock,
            (i, due) => ChargeAsync(target, tasks[i % tasks.Length], latencies, clock, due, lags)).ConfigureAwait(false);
        await Task.WhenAll(sent).ConfigureAwait(false);
        return clock.Elapsed;
    }

    /// <summary>Closed loop: each client sends its next charge when the last is answered.</summary>
    public static async Task<Result> ClosedLoopAsync(Target target, Options options)
    {
        var tasks = await SetUpAsync(target).ConfigureAwait(false);
        await ClosedLoopAsync(target, tasks, options.Clients, TimeSpan.FromSeconds(options.WarmUp)).ConfigureAwait(false); // warm-up
        var cpu = target.CpuTime;
        var (latencies, elapsed) = await ClosedLoopAsync(target, tasks, options.Clients, TimeSpan.FromSeconds(options.Seconds)).ConfigureAwait(false);
        return Result.Of("Uniform cohort charges", $"closed loop, {options.Clients} clients, {options.Seconds} s, {Tasks} tasks",
            string.Create(CultureInfo.InvariantCulture, $"{latencies.Count / elapsed.TotalSeconds:0} charges/s"), latencies, $"{latencies.Count} charges; {target.CpuPerRequest(cpu, latencies.Count)}");
    }

    private static async Task<(Latencies, TimeSpan)> ClosedLoopAsync(Target target, string[] tasks, int clients, TimeSpan duration)
    {
        var latencies = new Latencies();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            while (clock.Elapsed < duration)
            {
                await ChargeAsync(target, tasks[c % tasks.Length], latencies, clock, clock.Elapsed).ConfigureAwait(false);
            }
        })).ConfigureAwait(false);
        return (latencies, clock.Elapsed);
    }

    private static async Task ChargeAsync(Target target, string task, Latencies latencies, Stopwatch clock, TimeSpan started, Latencies? lags = null)
    {
        lags?.Record(clock.Elapsed - started);
        try
        {
            await target.PostAsync($"v1/tasks/{task}/charges", Body, Guid.NewGuid().ToString("N")).ConfigureAwait(false);
            latencies.Record(clock.Elapsed - started);
        }
        catch (HttpRequestException)
        {
            latencies.Fail();
        }
    }

    private static async Task<string[]> SetUpAsync(Target target)
    {
        var tasks = new string[Tasks];
        for (var t = 0; t < Tasks; t++)
        {
            var cohort = string.Create(CultureInfo.InvariantCulture, $"{target.Run}-uniform-{t}");
            await target.CohortAsync(cohort, CohortSize).ConfigureAwait(false);
            tasks[t] = cohort + "-task";
            await target.TaskAsync(tasks[t], cohort).ConfigureAwait(false);
        }
        return tasks;
    }
}
