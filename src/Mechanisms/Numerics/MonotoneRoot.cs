namespace Accounting.Mechanisms.Numerics;

/// <summary>The crossing point of a decreasing function, bracketed and kept bracketed.</summary>
internal static class MonotoneRoot
{
    /// <summary>
    /// For g decreasing with g(low) &gt; 0 ≥ g(high): a point x with g(x) ≤ 0 and g(x − tolerance) &gt; 0, by the
    /// Illinois variant of false position (Dowell &amp; Jarratt 1971), with bisection when values are not finite or
    /// the bracket stops shrinking. The returned side is always the one where g ≤ 0.
    /// </summary>
    public static double SmallestNonPositive(Func<double, double> g, double low, double gLow, double high, double gHigh, double tolerance)
    {
        var retained = 0; // −1: low was kept twice in a row, +1: high was
        for (var iteration = 0; high - low > tolerance; iteration++)
        {
            double x;
            if (iteration < 60 && double.IsFinite(gLow) && double.IsFinite(gHigh) && gLow != gHigh)
            {
                x = (low * gHigh - high * gLow) / (gHigh - gLow);
                // Stay at least half a tolerance inside, so each step shrinks the bracket.
                x = Math.Clamp(x, low + 0.5 * tolerance, high - 0.5 * tolerance);
            }
            else
            {
                x = 0.5 * (low + high);
            }
            var gx = g(x);
            if (gx > 0)
            {
                (low, gLow) = (x, gx);
                gHigh = retained == 1 ? 0.5 * gHigh : gHigh; // Illinois: halve the stale end's weight
                retained = 1;
            }
            else
            {
                (high, gHigh) = (x, gx);
                gLow = retained == -1 ? 0.5 * gLow : gLow;
                retained = -1;
            }
        }
        return high;
    }
}
