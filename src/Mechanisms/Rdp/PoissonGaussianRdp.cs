namespace Accounting.Mechanisms.Rdp;

/// <summary>RDP of the Poisson-subsampled Gaussian, add/remove relation.</summary>
public static class PoissonGaussianRdp
{
    /// <summary>Mironov, Talwar, Zhang 2019: exact at integer and fractional orders, never below the true value.</summary>
    public static double Epsilon(double samplingRate, double sigma, double alpha) => throw new NotImplementedException();
}
