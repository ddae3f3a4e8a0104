using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Accounting.Accountant.Endpoints;

/// <summary>Training tasks: calibration on creation, charges before each update, progress and resumption.</summary>
public static class TaskEndpoints
{
    /// <summary>Maps the task endpoints.</summary>
    public static RouteGroupBuilder MapTaskEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/", Create).WithName("CreateTask").WithExample(Examples.CreateTask)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id}", Get).WithName("GetTask").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/charges", Charge).WithName("ChargeStep").WithExample(Examples.Charge).AllowsBulkBody()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id}/complete", Complete).WithName("CompleteTask")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id}/cancel", Cancel).WithName("CancelTask")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/{id}/exclusions", Exclusions).WithName("GetTaskExclusions").ProducesProblem(StatusCodes.Status404NotFound);
        return group.WithTags("Tasks").ProducesValidationProblem();
    }

    /// <summary>
    /// Creates a task on a cohort and calibrates its noise multiplier to the target from the plan alone. The answer
    /// carries σ, the noise standard deviation to add (σ × sensitivity) and the planned ε.
    /// </summary>
    /// <param name="request">Cohort, unit kind, relation, plan, target and clipping norm.</param>
    public static async Task<Created<TaskResponse>> Create(CreateTaskRequest request, TaskManager tasks, CancellationToken cancellationToken)
    {
        var task = await tasks.CreateAsync(request, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/v1/tasks/{Uri.EscapeDataString(task.Id)}", task);
    }

    /// <summary>A task's calibration and progress; after a crash, resume at <c>nextStep</c>.</summary>
    /// <param name="id">The task's id.</param>
    public static async Task<Ok<TaskResponse>> Get(string id, TaskManager tasks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tasks.GetAsync(id, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Charges one private update before it is made. The whole step is refused (409) if the task's quota cannot
    /// take it; otherwise each unit's lifetime filter decides, and units it does not admit are listed as excluded:
    /// leave their data out of this update and every later one. Idempotent: a retry with the same step or
    /// Idempotency-Key and the same body returns the first answer (header Idempotent-Replayed: true); the same key or
    /// step with a different body is a 409.
    /// </summary>
    /// <param name="id">The task's id.</param>
    /// <param name="request">Step index, optional event override and per-unit sensitivities.</param>
    /// <param name="idempotencyKey">Optional key identifying this charge across retries.</param>
    public static async Task<Ok<ChargeResponse>> Charge(
        string id, ChargeRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ChargeProcessor charges, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var outcome = await charges.ChargeAsync(id, request, idempotencyKey, cancellationToken).ConfigureAwait(false);
        if (outcome.Replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }
        return TypedResults.Ok(outcome.Response!); // a granted outcome always carries its answer
    }

    /// <summary>Marks a task completed; it takes no further charges.</summary>
    /// <param name="id">The task's id.</param>
    public static async Task<Ok<TaskResponse>> Complete(string id, TaskManager tasks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tasks.CloseAsync(id, TaskState.Completed, cancellationToken).ConfigureAwait(false));

    /// <summary>Cancels a task; it takes no further charges.</summary>
    /// <param name="id">The task's id.</param>
    public static async Task<Ok<TaskResponse>> Cancel(string id, TaskManager tasks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tasks.CloseAsync(id, TaskState.Cancelled, cancellationToken).ConfigureAwait(false));

    /// <summary>Units excluded from the task, ascending by id; pass the answer's <c>next</c> as <c>after</c> for the next page.</summary>
    /// <param name="id">The task's id.</param>
    /// <param name="after">Return ids after this one.</param>
    /// <param name="limit">Page size, 1–100000 (default 10000).</param>
    public static async Task<Ok<ExclusionsResponse>> Exclusions(
        string id, string? after, int? limit, TaskManager tasks, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tasks.ExclusionsAsync(id, after, limit ?? 10_000, cancellationToken).ConfigureAwait(false));
}
