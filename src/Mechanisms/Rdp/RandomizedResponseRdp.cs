namespace Accounting.Mechanisms.Rdp;

/// <summary>RDP of k-ary randomized response.</summary>
public static class RandomizedResponseRdp
{
    /// <summary>ε(α) of randomized response; ε(∞) is its pure-DP ε.</summary>
    public static double Epsilon(double noiseParameter, int numBuckets, double alpha) => throw new NotImplementedException();
}
