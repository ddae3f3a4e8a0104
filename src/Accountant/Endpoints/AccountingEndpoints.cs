using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Conversion;
using Accounting.Mechanisms.Rdp;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Accounting.Accountant.Endpoints;

/// <summary>Stateless calculators over the event algebra: nothing is stored or charged.</summary>
public static class AccountingEndpoints
{
    /// <summary>Maps the calculators.</summary>
    public static RouteGroupBuilder MapAccountingEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/epsilon", Epsilon).WithName("Epsilon").WithExample(Examples.Epsilon);
        group.MapPost("/delta", Delta).WithName("Delta").WithExample(Examples.Delta);
        group.MapPost("/calibrate", Calibrate).WithName("Calibrate").WithExample(Examples.Calibrate);
        return group.WithTags("Accounting").ProducesValidationProblem();
    }

    /// <summary>ε of a composition of events at δ: the smallest over the grid's orders, with the order and the RDP curve.</summary>
    /// <param name="request">The event (compose several with a composed event), δ, relation and grid.</param>
    public static Ok<EpsilonResponse> Epsilon(EpsilonRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireEvent(request.Event);
        if (!(request.Delta > 0 && request.Delta < 1))
        {
            throw ProblemException.Invalid("delta", "must be a number in (0, 1)");
        }
        var curve = RdpAccountant.Curve(request.Event, Grid(request.Grid), request.Relation);
        var result = RdpConversion.Epsilon(curve, request.Delta);
        return TypedResults.Ok(new EpsilonResponse(
            double.IsFinite(result.Epsilon) ? result.Epsilon : null, double.IsNaN(result.Order) ? null : result.Order,
            CurveDto.From(curve.Grid, curve.Epsilons)));
    }

    /// <summary>δ of a composition of events at ε: the smallest over the grid's orders.</summary>
    /// <param name="request">The event, ε, relation and grid.</param>
    public static Ok<DeltaResponse> Delta(DeltaRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireEvent(request.Event);
        if (!(double.IsFinite(request.Epsilon) && request.Epsilon >= 0))
        {
            throw ProblemException.Invalid("epsilon", "must be a finite number ≥ 0");
        }
        var curve = RdpAccountant.Curve(request.Event, Grid(request.Grid), request.Relation);
        var result = RdpConversion.Delta(curve, request.Epsilon);
        return TypedResults.Ok(new DeltaResponse(result.Delta, double.IsNaN(result.Order) ? null : result.Order));
    }

    /// <summary>The smallest noise multiplier σ whose plan meets the target (one-sided: σ·(1 − 1e-6) would not).</summary>
    /// <param name="request">The plan, the target, and optionally the relation and grid.</param>
    public static Ok<CalibrateResponse> Calibrate(CalibrateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Plan is null)
        {
            throw ProblemException.Invalid("plan", "a plan is required");
        }
        if (request.Target is null)
        {
            throw ProblemException.Invalid("target", "a target is required");
        }
        var result = NoiseCalibration.SmallestNoiseMultiplier(
            request.Plan, request.Target, Grid(request.Grid), request.Relation ?? request.Plan.NaturalRelation);
        return TypedResults.Ok(new CalibrateResponse(result.NoiseMultiplier, result.Epsilon, result.Order, result.Rho));
    }

    private static OrderGrid Grid(string? key) => key is null ? TaskManager.DefaultGrid : BudgetBook.Grid(key, "grid");

    private static void RequireEvent(object? privacyEvent)
    {
        if (privacyEvent is null)
        {
            throw ProblemException.Invalid("event", "an event is required");
        }
    }
}
