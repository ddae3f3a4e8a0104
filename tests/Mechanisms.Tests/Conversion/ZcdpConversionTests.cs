using Accounting.Mechanisms.Conversion;

namespace Accounting.Mechanisms.Tests.Conversion;

public class ZcdpConversionTests
{
    // OpenDP's zCDP → approximate DP with the tight conversion (Canonne, Kamath, Steinke 2020), printed to 6 digits.
    [Theory]
    [InlineData(0.5, 1e-5, 4.72839)]
    [InlineData(1, 1e-6, 7.76622)]
    public void Tight_conversion_matches_opendp(double rho, double delta, double expected) =>
        Assert.InRange(ZcdpConversion.Epsilon(rho, delta).Epsilon, expected - 5e-6, expected + 5e-6);

    [Theory]
    [InlineData(1e-6, 1e-9)]
    [InlineData(0.01, 1e-5)]
    [InlineData(0.5, 1e-5)]
    [InlineData(10, 1e-3)]
    public void Tight_is_never_looser_than_classic(double rho, double delta)
    {
        var classic = rho + 2 * Math.Sqrt(rho * Math.Log(1 / delta));
        Assert.InRange(ZcdpConversion.ClassicEpsilon(rho, delta), classic, classic * (1 + 1e-14));
        Assert.True(ZcdpConversion.Epsilon(rho, delta).Epsilon <= classic);
    }

    // The tight ε is a minimum over orders: no order on a fine grid may do better than the one found.
    [Theory]
    [InlineData(0.5, 1e-5)]
    [InlineData(1e-4, 1e-8)]
    public void Tight_epsilon_is_the_minimum_over_orders(double rho, double delta)
    {
        var found = ZcdpConversion.Epsilon(rho, delta).Epsilon;
        for (var alpha = 1.02; alpha < 1e4; alpha *= 1.001)
        {
            var atAlpha = rho * alpha + Math.Log(1 - 1 / alpha) - (Math.Log(delta) + Math.Log(alpha)) / (alpha - 1);
            Assert.True(found <= atAlpha + 1e-12, $"α = {alpha} gives {atAlpha} < {found}");
        }
    }

    [Fact]
    public void Delta_inverts_epsilon()
    {
        var epsilon = ZcdpConversion.Epsilon(0.5, 1e-5).Epsilon;
        var delta = ZcdpConversion.Delta(0.5, epsilon).Delta;
        Assert.InRange(delta, 0.999e-5, 1e-5 * (1 + 1e-9));
    }

    [Fact]
    public void Zero_rho_is_free()
    {
        Assert.Equal(0, ZcdpConversion.Epsilon(0, 1e-5).Epsilon);
        Assert.Equal(0, ZcdpConversion.Delta(0, 0.1).Delta);
    }
}
