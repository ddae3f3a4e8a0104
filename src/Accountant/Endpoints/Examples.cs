namespace Accounting.Accountant.Endpoints;

/// <summary>Request examples shown in Swagger UI: realistic DP-SGD and DP-FedAvg values.</summary>
internal static class Examples
{
    public const string Epsilon = """
        {"event": {"type": "selfComposed", "count": 2250, "event": {"type": "poissonSampled", "samplingRate": 0.04,
         "event": {"type": "gaussian", "noiseMultiplier": 1.5}}}, "delta": 1e-5, "relation": "addOrRemoveOne", "grid": "dp-accounting/v1"}
        """;

    public const string Delta = """
        {"event": {"type": "selfComposed", "count": 1000, "event": {"type": "gaussian", "noiseMultiplier": 20}}, "epsilon": 3}
        """;

    public const string Calibrate = """
        {"plan": {"steps": 2250, "sampling": "poisson", "samplingRate": 0.04}, "target": {"type": "epsilonDelta", "epsilon": 8, "delta": 1e-5}}
        """;

    public const string DefaultBudget = """
        {"epsilon": 8, "delta": 1e-6, "grid": "filter/v1", "relation": "addOrRemoveOne", "unitKind": "example"}
        """;

    public const string RegisterUnits = """
        {"units": ["example-000001", "example-000002", "example-000003"]}
        """;

    public const string UnitBudget = """
        {"epsilon": 4, "delta": 1e-6}
        """;

    public const string CreateCohort = """
        {"id": "cifar10-train", "unitKind": "example", "members": ["example-000001", "example-000002"]}
        """;

    public const string AddMembers = """
        {"units": ["example-000003", "example-000004"]}
        """;

    public const string CreateTask = """
        {"id": "dp-sgd-run-1", "cohort": "cifar10-train", "unitKind": "example", "relation": "addOrRemoveOne",
         "plan": {"steps": 2250, "sampling": "poisson", "samplingRate": 0.04},
         "target": {"type": "epsilonDelta", "epsilon": 8, "delta": 1e-5}, "clipNorm": 1.0}
        """;

    public const string Charge = """
        {"step": 0, "sensitivities": [{"unit": "example-000001", "sensitivity": 0.42}]}
        """;

    public const string CreateKey = """
        {"name": "alice", "role": "trainer"}
        """;
}
