namespace Accounting.Demo.Data;

/// <summary>Standard normal draws for generating data (not privacy noise: that comes from the trainer adapters).</summary>
internal static class Gaussians
{
    /// <summary>One N(0, 1) draw by Box–Muller from a seeded generator, so that the data are the same on every run.</summary>
    public static double Next(Random random)
    {
        var u = 1.0 - random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }

    /// <summary>A vector of N(0, scale²) draws.</summary>
    public static float[] Vector(Random random, int length, double scale = 1) =>
        [.. Enumerable.Range(0, length).Select(_ => (float)(scale * Next(random)))];
}
