namespace Accounting.Mechanisms.Rdp;

/// <summary>RDP of the Gaussian on a sample of m of n without replacement, replace-one relation.</summary>
public static class WithoutReplacementGaussianRdp
{
    /// <summary>Wang, Balle, Kasiviswanathan 2019: an upper bound.</summary>
    public static double Epsilon(long sourceSize, long sampleSize, double sigma, double alpha) => throw new NotImplementedException();
}
