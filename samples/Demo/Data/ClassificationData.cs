namespace Accounting.Demo.Data;

/// <summary>
/// A deterministic ten-class problem: each class is a unit-variance Gaussian around its own centre in 20 dimensions,
/// so a linear classifier is optimal and the best accuracy is below 100 %. Generated from a fixed seed; nothing is
/// downloaded.
/// </summary>
internal static class ClassificationData
{
    public const int Classes = 10;
    public const int Dimension = 20;

    /// <summary>Training and test sets drawn from the same distribution.</summary>
    public static (Examples Train, Examples Test) Generate(int trainCount, int testCount, int seed = 2016)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, Classes).Select(_ => Gaussians.Vector(random, Dimension, CentreSpread)).ToArray();
        return (Draw(random, centres, trainCount), Draw(random, centres, testCount));
    }

    // Wide enough apart for a linear model to learn, close enough that privacy noise costs visible accuracy.
    private const double CentreSpread = 0.75;

    private static Examples Draw(Random random, float[][] centres, int count)
    {
        var features = new float[count * Dimension];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            labels[i] = random.Next(Classes);
            for (var j = 0; j < Dimension; j++)
            {
                features[(i * Dimension) + j] = centres[labels[i]][j] + (float)Gaussians.Next(random);
            }
        }
        return new Examples(features, labels, Dimension);
    }
}
