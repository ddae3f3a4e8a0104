namespace Accounting.Accountant.Tests.Infrastructure;

/// <summary>Equality of recomputed figures up to a relative tolerance (both null, or both the same infinity, count as equal).</summary>
public static class Close
{
    /// <summary>Asserts |expected − actual| ≤ tolerance·max(|expected|, |actual|).</summary>
    public static void Equal(double? expected, double? actual, double tolerance, string what)
    {
        Assert.True(expected.HasValue == actual.HasValue, $"{what}: {expected} vs {actual}");
        if (expected is not { } e || actual is not { } a || e == a)
        {
            return;
        }
        Assert.True(Math.Abs(e - a) <= tolerance * Math.Max(Math.Abs(e), Math.Abs(a)), $"{what}: {e:R} vs {a:R}");
    }

    /// <summary>Asserts two curves agree value by value.</summary>
    public static void Equal(IReadOnlyList<double?> expected, IReadOnlyList<double?> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Equal(expected[i], actual[i], tolerance, $"{what}[{i}]");
        }
    }
}
