namespace Accounting.Demo.Data;

/// <summary>
/// A deterministic multitask population: every client labels points x ∈ ℝ²⁰ by its own halfspace in a 4-dimensional
/// representation shared by all, y = [⟨u_c, B*x⟩ > 0] with 5 % of labels flipped (the setting of Aliakbarpour et
/// al. 2024, "Metalearning with very few samples per task": a shared linear map, a halfspace per task). One global
/// model cannot fit clients whose halfspaces differ; a client alone has too few points for 20 dimensions.
/// </summary>
internal static class FederatedData
{
    public const int Dimension = 20;
    public const int Representation = 4;
    private const double LabelNoise = 0.05;

    /// <summary>Each client's training and test examples, and the true shared map (for reference only).</summary>
    public static (Examples Train, Examples Test)[] Generate(int clients, int trainPerClient, int testPerClient, int seed = 2024)
    {
        var random = new Random(seed);
        var map = Orthonormal(random);
        var data = new (Examples, Examples)[clients];
        for (var c = 0; c < clients; c++)
        {
            var head = Gaussians.Vector(random, Representation);
            data[c] = (Draw(random, map, head, trainPerClient), Draw(random, map, head, testPerClient));
        }
        return data;
    }

    private static Examples Draw(Random random, float[][] map, float[] head, int count)
    {
        var features = new float[count * Dimension];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var x = Gaussians.Vector(random, Dimension);
            x.CopyTo(features, i * Dimension);
            var margin = 0.0;
            for (var r = 0; r < Representation; r++)
            {
                margin += head[r] * Dot(map[r], x);
            }
            var label = margin > 0 ? 1 : 0;
            labels[i] = random.NextDouble() < LabelNoise ? 1 - label : label;
        }
        return new Examples(features, labels, Dimension);
    }

    // Gram–Schmidt on Gaussian rows: a random 4-dimensional subspace of ℝ²⁰.
    private static float[][] Orthonormal(Random random)
    {
        var rows = new float[Representation][];
        for (var r = 0; r < Representation; r++)
        {
            var row = Gaussians.Vector(random, Dimension);
            for (var s = 0; s < r; s++)
            {
                var projection = Dot(rows[s], row);
                for (var j = 0; j < Dimension; j++)
                {
                    row[j] -= (float)(projection * rows[s][j]);
                }
            }
            var norm = Math.Sqrt(Dot(row, row));
            rows[r] = [.. row.Select(v => (float)(v / norm))];
        }
        return rows;
    }

    private static double Dot(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var j = 0; j < a.Length; j++)
        {
            sum += a[j] * b[j];
        }
        return sum;
    }
}
