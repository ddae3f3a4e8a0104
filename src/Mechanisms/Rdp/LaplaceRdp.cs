namespace Accounting.Mechanisms.Rdp;

/// <summary>RDP of the Laplace mechanism with scale b for sensitivity 1.</summary>
public static class LaplaceRdp
{
    /// <summary>Mironov 2017, Prop. 6; ε(∞) = 1/b.</summary>
    public static double Epsilon(double noiseScale, double alpha) => throw new NotImplementedException();
}
