using System.Globalization;
using Accounting.Accountant;
using Accounting.Demo.Experiments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// The accountant runs in this process on its SQLite file, over real HTTP; the trainers talk to it like any client.
var app = await AccountantHost.BuildAsync(args);
await app.StartAsync();
var address = new Uri(app.Urls.First().Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal));
var stopping = app.Lifetime.ApplicationStopping;

// The admin key the service wrote on its first start sets the policies and creates a trainer key for this run.
var options = app.Services.GetRequiredService<IOptions<AccountantOptions>>().Value;
var adminKeyFile = options.BootstrapKeyFile();
string? adminKey = null;
if (options.Auth.Enabled)
{
    if (!File.Exists(adminKeyFile))
    {
        await Console.Error.WriteLineAsync($"The demo acts as admin with the key the service wrote to {adminKeyFile} on its first start, and it is gone. Put an admin key there (the keys command creates one: see README.md).");
        await app.StopAsync();
        return 1;
    }
    adminKey = (await File.ReadAllTextAsync(adminKeyFile)).Trim();
}
var runId = string.Create(CultureInfo.InvariantCulture, $"demo-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
await using var accountant = await DemoClients.ConnectAsync(address, adminKey, $"{runId}-trainer", stopping);

Console.WriteLine($"Accountant at {address} (Swagger UI: {address}swagger; authorize with the admin key in {adminKeyFile}). Demo run {runId}: each unit's lifetime budget is ε = {DemoTask.LifetimeEpsilon}, each task's quota ε = {DemoTask.TaskEpsilon} (δ = {DemoTask.Delta}).");
Console.WriteLine($"The admin key set the budgets and created trainer key {accountant.TrainerKeyId} for this run; the trainers use that key.");
Console.WriteLine();
var results = new List<ExperimentResult>
{
    await DpSgdExperiment.RunAsync(accountant, runId, new DpSgdExperiment.Settings(), Console.Out, stopping),
};
Console.WriteLine();
results.Add(await FederatedExperiment.RunAsync(accountant, runId, new FederatedExperiment.Settings(), Console.Out, stopping));

Console.WriteLine();
Console.WriteLine($"{"run",-10} {"σ",8} {"rounds",7} {"ε spent",9} {"private",8} {"baseline",9} {"gap",7}");
foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{r.Name,-10} {r.NoiseMultiplier,8:F4} {r.Rounds.Count,7} {r.FinalEpsilon,9:F4} {r.PrivateAccuracy,8:P1} {r.BaselineAccuracy,9:P1} {r.BaselineAccuracy - r.PrivateAccuracy,7:P1}"));
}
Console.WriteLine();
Console.WriteLine($"The ledger of each task, for an admin or auditor key: {address}v1/audit/ledger?task=<id> (ids: {string.Join(", ", results.Select(r => r.TaskId))}); its actor is the trainer key.");
Console.WriteLine("The service keeps running for Swagger UI; Ctrl+C stops it.");
await app.WaitForShutdownAsync();
return 0;
