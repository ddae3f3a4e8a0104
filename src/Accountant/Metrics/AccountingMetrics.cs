using System.Collections.Concurrent;
using Accounting.Accountant.Domain;

namespace Accounting.Accountant.Metrics;

/// <summary>
/// What the service counts since it started, exposed at /metrics. Hand-written over plain counters: a handful of
/// series need no metrics library, and the exposition format is small (see <see cref="PrometheusText"/>).
/// </summary>
public sealed class AccountingMetrics
{
    private readonly Histogram _charges = new();
    private readonly ConcurrentDictionary<(string Method, string Route, string StatusClass), Histogram> _requests = new();
    private long _granted;
    private long _excluded;
    private long _quotaRefusals;
    private long _closedRefusals;

    /// <summary>Counts a charge that was granted (not a replay), with the units it newly excluded.</summary>
    public void ChargeGranted(long newlyExcluded)
    {
        Interlocked.Increment(ref _granted);
        Interlocked.Add(ref _excluded, newlyExcluded);
    }

    /// <summary>Counts a charge refused by the task's quota or because the task was closed; other problems are not refusals.</summary>
    public void ChargeRefused(ProblemKind kind)
    {
        if (kind == ProblemKind.QuotaExhausted)
        {
            Interlocked.Increment(ref _quotaRefusals);
        }
        else if (kind == ProblemKind.TaskClosed)
        {
            Interlocked.Increment(ref _closedRefusals);
        }
    }

    /// <summary>Records how long a charge took in the store, waiting for the write lock included.</summary>
    public void ChargeTook(TimeSpan duration) => _charges.Observe(duration);

    /// <summary>Records a request by method, route template (not the raw path, which would multiply the series) and status class.</summary>
    public void RequestTook(string method, string route, int status, TimeSpan duration) =>
        _requests.GetOrAdd((method, route, $"{status / 100}xx"), _ => new Histogram()).Observe(duration);

    /// <summary>Everything in the Prometheus text format.</summary>
    public string Exposition()
    {
        var text = new PrometheusText();
        text.Counter("accounting_charges_total", "Charges granted (idempotent replays are not counted).", [("", Volatile.Read(ref _granted))]);
        text.Counter("accounting_excluded_units_total", "Units excluded from a task by their budgets' filters.", [("", Volatile.Read(ref _excluded))]);
        text.Counter("accounting_charge_refusals_total", "Charges refused: by the task's quota, or because the task was closed.",
        [
            (PrometheusText.Label("reason", "quota"), Volatile.Read(ref _quotaRefusals)),
            (PrometheusText.Label("reason", "closed"), Volatile.Read(ref _closedRefusals)),
        ]);
        text.Histogram("accounting_charge_duration_seconds", "Time to decide and record a charge.", [("", _charges)]);
        text.Histogram("accounting_http_request_duration_seconds", "HTTP requests by method, route template and status class.",
            _requests.OrderBy(r => r.Key).Select(r => (PrometheusText.Join(
                PrometheusText.Label("method", r.Key.Method), PrometheusText.Label("route", r.Key.Route),
                PrometheusText.Label("status_class", r.Key.StatusClass)), r.Value)));
        return text.ToString();
    }
}
