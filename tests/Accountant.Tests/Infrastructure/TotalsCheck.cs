using Accounting.Accountant.Storage;
using Accounting.Accountant.Verification;

namespace Accounting.Accountant.Tests.Infrastructure;

/// <summary>Compares an auditor's recomputed totals with what the service reports over HTTP.</summary>
public static class TotalsCheck
{
    /// <summary>Relative agreement required: the same compositions, rounded the same way up to a few ulps.</summary>
    public const double Tolerance = 1e-12;

    /// <summary>Asserts that every task and unit in <paramref name="totals"/> has the spend the service reports, and no unit is over budget.</summary>
    public static async Task AssertServiceAgreesAsync(Api api, LedgerTotals totals)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(totals);
        foreach (var total in totals.Tasks)
        {
            var served = await api.TaskAsync(total.Id).ConfigureAwait(false);
            Assert.Equal(Names.Of(served.State), total.State);
            Assert.Equal(served.NextStep, total.Charges);
            Assert.Equal(served.Spent.Curve.Orders, total.Spent.Orders);
            Close.Equal(served.Spent.Curve.Values, total.Spent.Values, Tolerance, $"{total.Id} curve");
            Close.Equal(served.Spent.Epsilon, total.Epsilon, Tolerance, $"{total.Id} ε");
            Close.Equal(served.Spent.Rho, total.Rho, Tolerance, $"{total.Id} ρ");
        }
        foreach (var total in totals.Units)
        {
            var served = await api.UnitAsync(total.Id).ConfigureAwait(false);
            Assert.Equal(served.Spent.Grid, total.Spent.Grid);
            Close.Equal(served.Spent.Values, total.Spent.Values, Tolerance, $"{total.Id} curve");
            Close.Equal(served.EpsilonSpent, total.Epsilon, Tolerance, $"{total.Id} ε");
            Close.Equal(served.RhoSpent, total.Rho, Tolerance, $"{total.Id} ρ");
            Assert.True(total.WithinBudget, $"{total.Id} is over its budget");
        }
    }
}
