using Accounting.LoadGen;

Options options;
try
{
    options = Options.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

// ServiceProcess reads this switch (which the PostgreSQL test assembly sets in its runtime configuration) on first use.
AppContext.SetSwitch("Accounting.TestSupport.Postgres", options.Postgres);
var store = options.Postgres ? $"PostgreSQL, {options.Replicas} replica{(options.Replicas == 1 ? "" : "s")}" : $"synchronous = {options.Synchronous}";
Console.WriteLine($"| Scenario | Method ({store}) | Throughput | Median | p99 | Notes |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach (var scenario in options.Scenarios)
{
    // A fresh service (unless one is given) per scenario, so that each starts from an empty database.
    await using var target = await Target.OpenAsync(options);
    var result = scenario switch
    {
        "uniform-open" => await UniformCharges.OpenLoopAsync(target, options),
        "uniform-closed" => await UniformCharges.ClosedLoopAsync(target, options),
        "per-unit" => await PerUnitCharges.ClosedLoopAsync(target, options),
        "register" => await Registration.RunAsync(target, options),
        _ => throw new ArgumentException($"unknown scenario '{scenario}'\n{Options.Usage}"),
    };
    Console.WriteLine((options.Postgres ? result with { Scenario = $"{result.Scenario} ({store})" } : result).Row());
}
return 0;
