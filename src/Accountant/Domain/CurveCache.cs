using System.Collections.Concurrent;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Storage;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;
using Accounting.Mechanisms.Zcdp;

namespace Accounting.Accountant.Domain;

/// <summary>
/// Costs of events by value: a task's repeated step (and each rounded sensitivity) is computed once, after which a
/// charge costs a lookup and a vector add. Bounded: cleared when it grows past <see cref="Capacity"/> entries.
/// </summary>
public sealed class CurveCache
{
    /// <summary>Entries kept before the cache starts afresh.</summary>
    public const int Capacity = 8192;

    private readonly ConcurrentDictionary<(PrivacyEvent Event, string Grid, NeighbouringRelation Relation), double[]> _curves = new();
    private readonly ConcurrentDictionary<PrivacyEvent, double?> _rhos = new();
    private readonly ConcurrentDictionary<(PrivacyEvent Event, string Grid, NeighbouringRelation Relation), SharedJson> _documents = new();

    /// <summary>The event's RDP curve on the grid (validated and supported, or InvalidParameterException).</summary>
    public ReadOnlySpan<double> Curve(PrivacyEvent privacyEvent, OrderGrid grid, NeighbouringRelation relation)
    {
        ArgumentNullException.ThrowIfNull(grid);
        Trim(_curves);
        return _curves.GetOrAdd(
            (privacyEvent, grid.Key, relation),
            key => RdpAccountant.Curve(key.Event, grid, key.Relation).Epsilons.ToArray());
    }

    /// <summary>
    /// The event's curve as the ledger records it (a <see cref="CurveDto"/> in the API's JSON), serialised once: a
    /// repeated step's entry costs a copy, not 156 numbers formatted, and the store keeps it once.
    /// </summary>
    public SharedJson CurveDocument(PrivacyEvent privacyEvent, OrderGrid grid, NeighbouringRelation relation)
    {
        ArgumentNullException.ThrowIfNull(grid);
        Trim(_documents);
        return _documents.GetOrAdd(
            (privacyEvent, grid.Key, relation),
            key => SharedJson.Of(CurveDto.From(grid, Curve(key.Event, grid, key.Relation)), EventJson.Options));
    }

    /// <summary>The event's ρ, or null when it has none.</summary>
    public double? Rho(PrivacyEvent privacyEvent)
    {
        Trim(_rhos);
        return _rhos.GetOrAdd(privacyEvent, ZcdpAccountant.Rho);
    }

    /// <summary>What the event costs a budget: its curve on the budget's grid, or its ρ for a zCDP budget (a new array, the caller's to change).</summary>
    public double[] Cost(PrivacyEvent privacyEvent, Budget budget, NeighbouringRelation relation)
    {
        ArgumentNullException.ThrowIfNull(budget);
        if (!budget.IsZcdp)
        {
            return Curve(privacyEvent, budget.Grid, relation).ToArray();
        }
        return Rho(privacyEvent) is { } rho
            ? [rho]
            : throw ProblemException.Invalid("event", "an event without a finite ρ (e.g. a subsampled one) cannot charge a zCDP budget");
    }

    private static void Trim<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache) where TKey : notnull
    {
        if (cache.Count > Capacity)
        {
            cache.Clear();
        }
    }
}
