namespace Accounting.Mechanisms.Numerics;

/// <summary>Tables of log n and log n! for the binomial sums of integer Rényi orders.</summary>
internal static class LogFactorials
{
    /// <summary>The largest n tabulated; integer orders above it are integrated numerically instead.</summary>
    public const int Max = 4096;

    private static readonly double[] LogInts = BuildLogInts();
    private static readonly double[] LogFacts = BuildLogFactorials();

    /// <summary>log n for 1 ≤ n ≤ <see cref="Max"/>.</summary>
    public static double LogOf(int n) => LogInts[n];

    /// <summary>log C(n, k) for 0 ≤ k ≤ n ≤ <see cref="Max"/>.</summary>
    public static double LogBinomial(int n, int k) => LogFacts[n] - LogFacts[k] - LogFacts[n - k];

    private static double[] BuildLogInts()
    {
        var logs = new double[Max + 1];
        logs[0] = double.NegativeInfinity;
        for (var n = 1; n <= Max; n++)
        {
            logs[n] = Math.Log(n);
        }
        return logs;
    }

    private static double[] BuildLogFactorials()
    {
        var facts = new double[Max + 1];
        double sum = 0, carry = 0;
        for (var n = 2; n <= Max; n++)
        {
            // Neumaier's compensated summation keeps the table within about an ulp of the true log n!.
            var term = Math.Log(n);
            var s = sum + term;
            carry += Math.Abs(sum) >= Math.Abs(term) ? (sum - s) + term : (term - s) + sum;
            sum = s;
            facts[n] = sum + carry;
        }
        return facts;
    }
}
