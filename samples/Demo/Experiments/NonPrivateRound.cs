using Accounting.TrainerAdapters.Aggregation;
using Accounting.TrainerAdapters.Sampling;

namespace Accounting.Demo.Experiments;

/// <summary>The baselines' round: the same Poisson sampling, the plain mean of the drawn units' contributions.</summary>
internal static class NonPrivateRound
{
    /// <summary>Writes the mean contribution of a Poisson sample of the population into <paramref name="mean"/>.</summary>
    public static void Mean(PoissonSampler sampler, int population, Contribution contribute, double[] mean)
    {
        var sampled = sampler.SampleIndices(population);
        var one = new float[mean.Length];
        Array.Clear(mean);
        foreach (var unit in sampled)
        {
            Array.Clear(one);
            contribute((int)unit, one);
            for (var p = 0; p < mean.Length; p++)
            {
                mean[p] += one[p];
            }
        }
        for (var p = 0; p < mean.Length; p++)
        {
            mean[p] /= Math.Max(1, sampled.Count);
        }
    }
}
