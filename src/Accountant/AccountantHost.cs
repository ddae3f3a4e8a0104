using System.Reflection;
using System.Text.Json.Serialization;
using Accounting.Accountant.Auth;
using Accounting.Accountant.Audit;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Endpoints;
using Accounting.Accountant.Metrics;
using Accounting.Accountant.Storage;
using Accounting.Accountant.Storage.Postgres;
using Accounting.Accountant.Storage.Sqlite;
using Accounting.Mechanisms.Events;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Accounting.Accountant;

/// <summary>
/// The composition root: services, middleware and endpoint groups. <c>Program</c> runs it; the demo in
/// <c>samples/</c> hosts the same service in its own process.
/// </summary>
public static partial class AccountantHost
{
    /// <summary>Builds the service from command-line arguments (and the usual configuration sources), migrated and seeded.</summary>
    public static async Task<WebApplication> BuildAsync(string[] args)
    {
        // Configuration files are read once: watching the content root for changes would also wake on every write to
        // the database under it (data/), costing a thread's worth of CPU under load. Later arguments may still say otherwise.
        var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
        // One line per request at Information drowns the console; configuration may still lower these.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        builder.Services.AddAccountant(builder.Configuration);
        // The core only: AddAuthentication would bring in Data Protection, which API keys do not use.
        builder.Services.AddAuthenticationCore(o => o.DefaultScheme = ApiKeyAuthentication.SchemeName).AddWebEncoders();
        new AuthenticationBuilder(builder.Services)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddCallerRateLimiter();

        builder.Services.ConfigureHttpJsonOptions(o => EventJson.Configure(o.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true); // bad bodies reach ProblemMapping
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemMapping.Customize);
        builder.Services.AddExceptionHandler<ProblemMapping>();
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = BulkBody.MaxBytes);

        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Accounting",
                Version = "v1",
                Description = "Privacy accounting for differentially private training: Rényi-DP and zCDP budgets per individual "
                    + "and per task, noise calibration, and atomic charges before each private update.",
            });
            swagger.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, $"{typeof(AccountantHost).Assembly.GetName().Name}.xml"));
            swagger.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "Accounting.Mechanisms.xml"));
            swagger.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "Accounting.Accountant.Contracts.xml"));
            swagger.UseOneOfForPolymorphism();
            swagger.UseAllOfForInheritance();
            swagger.SelectDiscriminatorNameUsing(type => type.GetCustomAttribute<JsonPolymorphicAttribute>()?.TypeDiscriminatorPropertyName);
            swagger.SelectDiscriminatorValueUsing(type => type.BaseType?.GetCustomAttributes<JsonDerivedTypeAttribute>()
                .FirstOrDefault(d => d.DerivedType == type)?.TypeDiscriminator?.ToString());
            swagger.SupportNonNullableReferenceTypes();
            swagger.NonNullableReferenceTypesAsRequired();
            swagger.OperationFilter<OpenApiExamples>();
            swagger.AddSecurityDefinition(OpenApiSecurity.SchemeName, OpenApiSecurity.Scheme);
            swagger.OperationFilter<OpenApiSecurity>();
        });

        var app = builder.Build();

        // Replicas starting together on one database take turns here, so that one of them seeds and creates the key.
        var store = app.Services.GetRequiredService<IAccountingStore>();
        await store.ExclusiveAsync(async () =>
        {
            var backfilled = await store.WriteAsync(session =>
            {
                var hashed = ChainBackfill.Run(session);
                app.Services.GetRequiredService<BudgetBook>().Seed(
                    session, app.Services.GetRequiredService<IOptions<AccountantOptions>>().Value.DefaultBudget, app.Services.GetRequiredService<Ledger>());
                return hashed;
            });
            if (backfilled > 0)
            {
                LogBackfilled(app.Logger, backfilled);
            }
            await BootstrapKey.EnsureAsync(app.Services);
        });

        app.UseRequestMetrics();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseBodyLimits();
        app.UseSlashesInIds();
        app.UseSwagger(); // the document and Swagger UI need no key
        app.UseSwaggerUI();
        app.UseAuthentication();
        app.UseRateLimiter(); // after authentication, which names the caller the limit is kept for
        app.UseAuthorization();
        app.UseWholeBodies(); // after the caller is let in: only then is the body read

        // Every endpoint gets its row of the authorization matrix (Auth/Permissions.cs).
        var endpoints = app.MapGroup("").RequirePermissions();
        endpoints.MapGroup("/v1/accounting").MapAccountingEndpoints();
        endpoints.MapGroup("/v1/budgets").MapBudgetEndpoints();
        endpoints.MapGroup("/v1/units").MapUnitEndpoints();
        endpoints.MapGroup("/v1/cohorts").MapCohortEndpoints();
        endpoints.MapGroup("/v1/tasks").MapTaskEndpoints();
        endpoints.MapGroup("/v1/audit").MapAuditEndpoints();
        endpoints.MapGroup("/v1/keys").MapKeyEndpoints();
        endpoints.MapGet("/metrics", MetricsEndpoint.Scrape).WithName("Metrics").ExcludeFromDescription();
        endpoints.MapGet("/healthz", HealthEndpoint.Check).WithName("Health").ExcludeFromDescription().DisableRateLimiting();

        return app;
    }

    /// <summary>The service's options and domain services: what the web host and the <c>keys</c> command share.</summary>
    public static IServiceCollection AddAccountant(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountantOptions>().Bind(configuration.GetSection(AccountantOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Storage.Provider != StorageOptions.Postgres || !string.IsNullOrWhiteSpace(o.Postgres.ConnectionString),
                "Accountant:Postgres:ConnectionString is required when Accountant:Storage:Provider is postgres")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IAccountingStore>(provider =>
            provider.GetRequiredService<IOptions<AccountantOptions>>().Value.Storage.Provider == StorageOptions.Postgres
                ? ActivatorUtilities.CreateInstance<PostgresStore>(provider)
                : ActivatorUtilities.CreateInstance<SqliteStore>(provider));
        services.AddHttpContextAccessor();
        services.AddSingleton<ICaller, RequestCaller>();
        services.AddSingleton<BudgetBook>();
        services.AddSingleton<CurveCache>();
        services.AddSingleton<Ledger>();
        services.AddSingleton<UnitRegistry>();
        services.AddSingleton<CohortRegistry>();
        services.AddSingleton<TaskManager>();
        services.AddSingleton<ChargeProcessor>();
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<AccountingMetrics>();
        return services;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hashed {Count} ledger entries written before the ledger had its hash chain")]
    private static partial void LogBackfilled(ILogger logger, long count);
}
