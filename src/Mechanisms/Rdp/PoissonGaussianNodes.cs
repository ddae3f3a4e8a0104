using Accounting.Mechanisms.Numerics;

namespace Accounting.Mechanisms.Rdp;

/// <summary>
/// The integrand of <see cref="PoissonGaussianIntegrand"/> at the trapezoidal rule's nodes t₀ + o, o = first + kδ for
/// k = 0, 1, …, where s = o/σ. φ(t) and expm1(s) are carried by recurrences instead of two exponentials per node:
/// φ(t + δ) = φ(t)·e^(−δt − δ²/2) (completing the square), whose factor shrinks by e^(−δ²) per step, and
/// expm1(s + δ/σ) = expm1(s)·e^(δ/σ) + expm1(δ/σ), a sum of like-signed terms, so nothing cancels. Each step rounds a
/// few times; every <see cref="Restart"/> steps both are recomputed, so the drift stays below ~1e-14 relative.
/// </summary>
internal struct PoissonGaussianNodes
{
    private const int Restart = 32;
    private readonly double _first, _delta, _ratio, _ratioMinus1, _decay;
    private double _phi, _factor, _expm1S;
    private int _k;

    public PoissonGaussianNodes(in PoissonGaussianIntegrand f, double first, double delta)
    {
        _delta = delta;
        _ratio = Math.Exp(delta * f.InvSigma);
        _ratioMinus1 = LogSpace.Expm1(delta * f.InvSigma);
        _decay = Math.Exp(-delta * delta);
        _first = first;
    }

    /// <summary>The integrand at the next node t, then a step on.</summary>
    public double Next(in PoissonGaussianIntegrand f, out double t)
    {
        var offset = _first + _k * _delta;
        t = f.Zero + offset;
        var s = offset * f.InvSigma;
        if (_k++ % Restart == 0)
        {
            _phi = PoissonGaussianIntegrand.Phi(t);
            _factor = Math.Exp(-_delta * t - 0.5 * _delta * _delta);
            _expm1S = LogSpace.Expm1(s);
        }
        var value = s > 700 ? Math.Exp(f.Log(t)) : f.Value(t, _phi, _expm1S);
        _phi *= _factor;
        _factor *= _decay;
        _expm1S = _expm1S * _ratio + _ratioMinus1;
        return value;
    }
}
