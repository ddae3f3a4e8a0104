using System.Reflection;
using System.Text.Json.Serialization;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Endpoints;
using Accounting.Accountant.Storage;
using Accounting.Accountant.Storage.Sqlite;
using Accounting.Mechanisms.Events;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Accounting.Accountant;

/// <summary>
/// The composition root: services, middleware and endpoint groups. <c>Program</c> runs it; the demo in
/// <c>samples/</c> hosts the same service in its own process.
/// </summary>
public static class AccountantHost
{
    /// <summary>Builds the service from command-line arguments (and the usual configuration sources), migrated and seeded.</summary>
    public static async Task<WebApplication> BuildAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // One line per request at Information drowns the console; configuration may still lower these.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        builder.Services.AddOptions<AccountantOptions>().Bind(builder.Configuration.GetSection(AccountantOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IAccountingStore, SqliteStore>();
        builder.Services.AddSingleton<BudgetBook>();
        builder.Services.AddSingleton<CurveCache>();
        builder.Services.AddSingleton<Ledger>();
        builder.Services.AddSingleton<UnitRegistry>();
        builder.Services.AddSingleton<CohortRegistry>();
        builder.Services.AddSingleton<TaskManager>();
        builder.Services.AddSingleton<ChargeProcessor>();

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
        });

        var app = builder.Build();

        await app.Services.GetRequiredService<IAccountingStore>().WriteAsync(session =>
        {
            app.Services.GetRequiredService<BudgetBook>().Seed(session, app.Services.GetRequiredService<IOptions<AccountantOptions>>().Value.DefaultBudget);
            return 0;
        });

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseBodyLimits();
        app.UseSlashesInIds();
        app.UseSwagger();
        app.UseSwaggerUI();

        app.MapGroup("/v1/accounting").MapAccountingEndpoints();
        app.MapGroup("/v1/budgets").MapBudgetEndpoints();
        app.MapGroup("/v1/units").MapUnitEndpoints();
        app.MapGroup("/v1/cohorts").MapCohortEndpoints();
        app.MapGroup("/v1/tasks").MapTaskEndpoints();
        app.MapGroup("/v1/audit").MapAuditEndpoints();
        app.MapGet("/healthz", HealthEndpoint.Check).ExcludeFromDescription();

        return app;
    }
}
