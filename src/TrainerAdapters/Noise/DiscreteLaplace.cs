using System.Numerics;

namespace Accounting.TrainerAdapters.Noise;

/// <summary>Exact discrete Laplace: P(Y = y) ∝ exp(−|y|/t) on the integers, for an integer scale t ≥ 1.</summary>
internal static class DiscreteLaplace
{
    // Canonne, Kamath, Steinke 2020, Algorithm 2 with s = 1.
    public static long Sample(SecureRandom random, long scale)
    {
        while (true)
        {
            // X = U + t·V with U uniform on {0, …, t − 1} kept with probability e^{−U/t} and V ~ Geometric(1 − e^{−1})
            // is Geometric(1 − e^{−1/t}).
            var u = random.NextInt64(0, scale);
            if (!BernoulliExp.Sample(random, u, scale))
            {
                continue;
            }
            long v = 0;
            while (BernoulliExp.Sample(random, BigInteger.One, BigInteger.One))
            {
                v++;
            }
            var magnitude = checked(u + (scale * v));
            var negative = random.NextBoolean();
            // −0 is rejected so that 0 is not counted twice.
            if (negative && magnitude == 0)
            {
                continue;
            }
            return negative ? -magnitude : magnitude;
        }
    }
}
