using Accounting.TrainerAdapters.Clipping;
using Accounting.TrainerAdapters.Tests.Support;

namespace Accounting.TrainerAdapters.Tests.Clipping;

public sealed class PerExampleClippingTests
{
    private static readonly double[] ClipNorms = [0.1, 1.0 / 3, 1, 2.5, 7e-3, 1e-30, 1e30, 1e-50, 3e38];

    private static readonly float[] Magnitudes =
        [1f, 0.1f, 3.3f, 1e-20f, 1e20f, float.MaxValue, float.Epsilon, 1.17549435e-38f, 0.70710677f];

    private static readonly int[] Dimensions = [1, 2, 3, 5, 7, 10, 100, 1_000, 65_537];

    /// <summary>Vectors chosen to make rounding hurt: equal components round the same way, at every scale.</summary>
    private static IEnumerable<float[]> AdversarialVectors()
    {
        foreach (var magnitude in Magnitudes)
        {
            foreach (var dimension in Dimensions)
            {
                yield return Enumerable.Range(0, dimension).Select(i => i % 3 == 1 ? -magnitude : magnitude).ToArray();
            }
        }
        // One huge component among tiny ones, and every finite exponent at once.
        yield return [float.MaxValue, .. Enumerable.Repeat(float.Epsilon, 999)];
        yield return Enumerable.Range(0, 277).Select(e => MathF.ScaleB(1.5f, e - 149)).ToArray();
    }

    /// <summary>Random finite floats with uniformly random bit patterns: every exponent and sign, subnormals included.</summary>
    private static float[] RandomBitPatterns(Random random, int dimension)
    {
        var vector = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            float value;
            do
            {
                value = BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31));
            }
            while (!float.IsFinite(value));
            vector[i] = value;
        }
        return vector;
    }

    private static double ReferenceNorm(ReadOnlySpan<float> vector)
    {
        double sum = 0;
        foreach (var value in vector)
        {
            sum += (double)value * value;
        }
        return Math.Sqrt(sum);
    }

    /// <summary>
    /// The clipped vector's exact norm is at most C and at most s·C; it is g scaled by one factor c ≤ 1 (each component
    /// the rounded g_i·c, so signs are kept and nothing grows); unclipped vectors are left bit for bit.
    /// </summary>
    private static void AssertClippedCorrectly(float[] gradient, double clipNorm)
    {
        var clipped = new float[gradient.Length];
        var result = PerExampleClipping.Clip(gradient, clipNorm, clipped);
        var what = $"dimension {gradient.Length}, g[0] = {gradient[0]:R}, C = {clipNorm:R}";
        Assert.True(ExactNorm.NormAtMost(clipped, clipNorm), $"{what}: the clipped norm exceeds C");
        Assert.True(
            ExactNorm.SquareAtLeast(result.SensitivityFactor, clipNorm, ExactNorm.ScaledSumOfSquares(clipped)),
            $"{what}: the clipped norm exceeds s·C with s = {result.SensitivityFactor:R}");
        var wrong = Enumerable.Range(0, gradient.Length).FirstOrDefault(
            i => Math.Abs(clipped[i]) > Math.Abs(gradient[i]) || (clipped[i] != 0 && Math.Sign(clipped[i]) != Math.Sign(gradient[i])),
            -1);
        Assert.True(wrong < 0, $"{what}: component {wrong} grew or flipped sign");
        if (result.SensitivityFactor < 1)
        {
            Assert.Equal(gradient, clipped);
        }
    }

    [Fact]
    public void Naive_scaling_exceeds_C_on_these_vectors()
    {
        // The adversarial set has teeth: scaling by C/‖g‖ and rounding to float overshoots C on some of its vectors.
        var overshoots = 0;
        foreach (var gradient in AdversarialVectors().Where(v => v.Length <= 1_000))
        {
            foreach (var clipNorm in ClipNorms)
            {
                var norm = ReferenceNorm(gradient);
                if (norm <= clipNorm)
                {
                    continue;
                }
                var naive = gradient.Select(g => (float)(g * (clipNorm / norm))).ToArray();
                overshoots += ExactNorm.NormAtMost(naive, clipNorm) ? 0 : 1;
            }
        }
        Assert.True(overshoots >= 100, $"only {overshoots} naive overshoots");
    }

    [Fact]
    public void Clipped_norm_never_exceeds_C_on_adversarial_vectors()
    {
        foreach (var gradient in AdversarialVectors())
        {
            foreach (var clipNorm in ClipNorms)
            {
                AssertClippedCorrectly(gradient, clipNorm);
            }
        }
    }

    [Fact]
    public void Clipped_norm_never_exceeds_C_on_random_vectors()
    {
        // Seeded data (the clipping itself is deterministic): random bit patterns and Gaussian-like gradients, with C
        // log-uniform over 10^-45 … 10^45 and near the gradient's own norm.
        var random = new Random(20_250_101);
        for (var trial = 0; trial < 2_000; trial++)
        {
            var dimension = 1 + random.Next(300);
            var gradient = trial % 2 == 0
                ? RandomBitPatterns(random, dimension)
                : Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            var norm = ReferenceNorm(gradient);
            AssertClippedCorrectly(gradient, Math.Pow(10, (90 * random.NextDouble()) - 45));
            if (norm > 0 && double.IsFinite(norm))
            {
                AssertClippedCorrectly(gradient, norm * (1 + ((random.NextDouble() - 0.5) * 1e-6)));
            }
        }
    }

    [Fact]
    public void A_vector_one_rounding_above_C_is_shrunk_below_it()
    {
        // C = 0.1 is not a float; the nearest float 0.100000001… lies above it, so naive scaling of [5] overshoots.
        var clipped = new float[1];
        PerExampleClipping.Clip([5f], 0.1, clipped);
        Assert.True(clipped[0] <= 0.1);
        Assert.Equal(MathF.BitDecrement(0.1f), clipped[0]);
    }

    [Fact]
    public void A_clip_norm_below_every_float_gives_the_zero_vector()
    {
        var clipped = new float[3];
        PerExampleClipping.Clip([float.Epsilon, -float.Epsilon, 1f], 1e-50, clipped);
        Assert.All(clipped, c => Assert.Equal(0f, Math.Abs(c)));
    }

    [Fact]
    public void Norms_and_sensitivity_factors_match_a_double_computation()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 1_000; trial++)
        {
            var dimension = 1 + random.Next(2_000);
            var gradient = Enumerable.Range(0, dimension).Select(_ => (float)((random.NextDouble() - 0.5) * 4)).ToArray();
            var reference = ReferenceNorm(gradient);
            var clipNorm = reference * (0.01 + (2 * random.NextDouble()));
            var result = PerExampleClipping.Clip(gradient, clipNorm, new float[dimension]);
            Assert.Equal(reference, result.Norm, reference * 1e-12);
            var expected = Math.Min(1, reference / clipNorm);
            Assert.InRange(result.SensitivityFactor, expected * (1 - 1e-12), Math.Min(1, expected * (1 + 1e-12)));
        }
    }

    [Fact]
    public void The_norm_upper_bound_is_never_below_the_exact_norm()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 2_000; trial++)
        {
            var vector = RandomBitPatterns(random, 1 + random.Next(500));
            var bound = PerExampleClipping.NormUpperBound(vector);
            Assert.True(ExactNorm.SquareAtLeast(bound, 1, ExactNorm.ScaledSumOfSquares(vector)));
            Assert.InRange(bound, ReferenceNorm(vector), ReferenceNorm(vector) * (1 + 1e-12));
        }
    }

    [Fact]
    public void Gradients_within_C_are_left_unchanged_and_zero_has_factor_zero()
    {
        float[] gradient = [3f, -4f];
        var clipped = new float[2];
        var result = PerExampleClipping.Clip(gradient, 10, clipped);
        Assert.Equal(gradient, clipped);
        Assert.Equal(5.0, result.Norm);
        Assert.Equal(0.5, result.SensitivityFactor, 1e-15);

        var zero = PerExampleClipping.Clip(new float[4], 1e-300, new float[4]);
        Assert.Equal(new ClippedNorm(0, 0), zero);
    }

    [Fact]
    public void Clipping_may_write_over_the_gradient()
    {
        float[] gradient = [30f, 40f];
        PerExampleClipping.Clip(gradient, 5, gradient);
        Assert.True(ExactNorm.NormAtMost(gradient, 5));
        Assert.Equal(3f, gradient[0], 1e-6f);
        Assert.Equal(4f, gradient[1], 1e-6f);
    }

    [Fact]
    public void A_batch_sum_equals_the_sum_of_individually_clipped_examples()
    {
        const int Examples = 37, Dimension = 129;
        const double ClipNorm = 1.5;
        var random = new Random(3);
        // Every third example is small enough to pass unclipped.
        var gradients = Enumerable.Range(0, Examples * Dimension)
            .Select(i => (float)((random.NextDouble() - 0.5) * (i / Dimension % 3 == 0 ? 0.05 : 1)))
            .ToArray();
        var sum = Enumerable.Repeat(1.0, Dimension).ToArray();
        var norms = new double[Examples];
        var factors = new double[Examples];
        PerExampleClipping.ClipAndSum(gradients, Dimension, ClipNorm, sum, norms, factors);

        var expected = Enumerable.Repeat(1.0, Dimension).ToArray();
        var reference = Enumerable.Repeat(1.0, Dimension).ToArray();
        var clipped = new float[Dimension];
        for (var example = 0; example < Examples; example++)
        {
            var gradient = gradients.AsSpan(example * Dimension, Dimension);
            var result = PerExampleClipping.Clip(gradient, ClipNorm, clipped);
            Assert.Equal(result, new ClippedNorm(norms[example], factors[example]));
            var scale = Math.Min(1, ClipNorm / ReferenceNorm(gradient));
            for (var i = 0; i < Dimension; i++)
            {
                expected[i] += clipped[i];
                reference[i] += gradient[i] * scale;
            }
        }
        Assert.Equal(expected, sum);
        Assert.All(sum.Zip(reference), pair => Assert.Equal(pair.Second, pair.First, 1e-5));
        Assert.Contains(factors, f => f == 1);
        Assert.Contains(factors, f => f < 1);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void A_non_finite_gradient_is_rejected_before_anything_is_summed(float bad)
    {
        const int Dimension = 8;
        var gradients = Enumerable.Range(0, 4 * Dimension).Select(i => (float)i).ToArray();
        gradients[(2 * Dimension) + 5] = bad;
        var sum = new double[Dimension];
        var error = Assert.Throws<ArgumentException>(
            () => PerExampleClipping.ClipAndSum(gradients, Dimension, 1, sum, new double[4], new double[4]));
        Assert.Contains("example 2, component 5", error.Message, StringComparison.Ordinal);
        Assert.Equal("gradients", error.ParamName);
        Assert.All(sum, s => Assert.Equal(0, s));

        var destination = new float[Dimension];
        var single = Assert.Throws<ArgumentException>(
            () => PerExampleClipping.Clip(gradients.AsSpan(2 * Dimension, Dimension), 1, destination));
        Assert.Contains("component 5", single.Message, StringComparison.Ordinal);
        Assert.All(destination, d => Assert.Equal(0, d));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Rejects_a_clip_norm_that_is_not_positive_and_finite(double clipNorm)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PerExampleClipping.Clip([1f], clipNorm, new float[1]));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => PerExampleClipping.ClipAndSum([1f], 1, clipNorm, new double[1], new double[1], new double[1]));
    }

    [Fact]
    public void Rejects_shapes_that_do_not_fit()
    {
        Assert.Throws<ArgumentException>(() => PerExampleClipping.Clip([1f, 2f], 1, new float[1]));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => PerExampleClipping.ClipAndSum([1f], 0, 1, new double[1], new double[1], new double[1]));
        Assert.Throws<ArgumentException>(
            () => PerExampleClipping.ClipAndSum([1f, 2f, 3f], 2, 1, new double[2], new double[1], new double[1]));
        Assert.Throws<ArgumentException>(
            () => PerExampleClipping.ClipAndSum([1f, 2f], 2, 1, new double[3], new double[1], new double[1]));
        Assert.Throws<ArgumentException>(
            () => PerExampleClipping.ClipAndSum([1f, 2f], 1, 1, new double[1], new double[1], new double[2]));
    }
}
