using System.Globalization;
using Accounting.Accountant;
using Accounting.Demo.Experiments;
using Accounting.TrainerAdapters.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The accountant runs in this process on its SQLite file, over real HTTP; the trainers talk to it like any client.
var app = await AccountantHost.BuildAsync(args);
await app.StartAsync();
var address = new Uri(app.Urls.First().Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal));
var stopping = app.Lifetime.ApplicationStopping;

var services = new ServiceCollection();
services.AddAccountantClient(address);
await using var provider = services.BuildServiceProvider();
var client = provider.GetRequiredService<AccountantClient>();

var runId = string.Create(CultureInfo.InvariantCulture, $"demo-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
Console.WriteLine($"Accountant at {address} (Swagger UI: {address}swagger). Demo run {runId}: each unit's lifetime budget is ε = {DemoTask.LifetimeEpsilon}, each task's quota ε = {DemoTask.TaskEpsilon} (δ = {DemoTask.Delta}).");
Console.WriteLine();
var results = new List<ExperimentResult>
{
    await DpSgdExperiment.RunAsync(client, runId, new DpSgdExperiment.Settings(), Console.Out, stopping),
};
Console.WriteLine();
results.Add(await FederatedExperiment.RunAsync(client, runId, new FederatedExperiment.Settings(), Console.Out, stopping));

Console.WriteLine();
Console.WriteLine($"{"run",-10} {"σ",8} {"rounds",7} {"ε spent",9} {"private",8} {"baseline",9} {"gap",7}");
foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{r.Name,-10} {r.NoiseMultiplier,8:F4} {r.Rounds.Count,7} {r.FinalEpsilon,9:F4} {r.PrivateAccuracy,8:P1} {r.BaselineAccuracy,9:P1} {r.BaselineAccuracy - r.PrivateAccuracy,7:P1}"));
}
Console.WriteLine();
Console.WriteLine($"The ledger of each task: {address}v1/audit/ledger?task=<id> (ids: {string.Join(", ", results.Select(r => r.TaskId))}).");
Console.WriteLine("The service keeps running for Swagger UI; Ctrl+C stops it.");
await app.WaitForShutdownAsync();
