namespace Accounting.Mechanisms.Numerics;

/// <summary>Minimisation of a unimodal function on an interval by golden-section search (Kiefer 1953).</summary>
internal static class GoldenSection
{
    private static readonly double InverseGolden = (Math.Sqrt(5) - 1) / 2;

    /// <summary>The argument in [a, b] where f is smallest, to within (b − a)·0.618^iterations.</summary>
    public static double Minimise(Func<double, double> f, double a, double b, int iterations = 200)
    {
        var c = b - InverseGolden * (b - a);
        var d = a + InverseGolden * (b - a);
        double fc = f(c), fd = f(d);
        for (var i = 0; i < iterations && c < d; i++)
        {
            if (fc <= fd)
            {
                (b, d, fd) = (d, c, fc);
                c = b - InverseGolden * (b - a);
                fc = f(c);
            }
            else
            {
                (a, c, fc) = (c, d, fd);
                d = a + InverseGolden * (b - a);
                fd = f(d);
            }
        }
        return fc <= fd ? c : d;
    }
}
