using Accounting.Mechanisms.Rdp;

namespace Accounting.Accountant.Domain;

/// <summary>Element-wise curve arithmetic, rounded up (composition never rounds a cost down).</summary>
public static class Curves
{
    /// <summary>a + b, rounded up.</summary>
    public static double[] Plus(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Upward.Add(a, b);

    /// <summary>a − b rounded up (so a saving is never overstated); b must be finite.</summary>
    public static double[] Minus(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var difference = new double[a.Length];
        for (var i = 0; i < difference.Length; i++)
        {
            difference[i] = Upward.Add(a[i], -b[i]);
        }
        return difference;
    }
}
