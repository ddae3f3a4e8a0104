namespace Accounting.Mechanisms.Rdp;

/// <summary>
/// Lower bounds on an RDP curve ε(α) at any order from its computed values at a few orders (the anchors), for curves
/// whose G(α) = (α − 1)·ε(α) is convex with G(1) = 0. Rényi divergences are: G(α) = log E_Q[(P/Q)^α] is convex in α
/// by Hölder's inequality (Wang, Balle, Kasiviswanathan 2019, Cor. 10) and log E_Q[P/Q] = 0; so are zCDP's ρα(α − 1),
/// and sums and multiples of such curves (composition, Mironov 2017, Prop. 1).
/// </summary>
/// <remarks>
/// A convex G lies above each secant line outside the secant's interval, so between anchors a₁ &lt; a₂ &lt; α &lt;
/// a₃ &lt; a₄ it is above both the line through a₁, a₂ and the line through a₃, a₄, beyond the last anchor above the
/// last line, and everywhere above 0. Such a line at α is wG(b) − vG(a), with b the anchor nearer α, w ≥ 1 and v ≥ 0.
/// The anchors hold computed values, upper bounds within the relative <see cref="Slack"/> of the true curve, so using
/// them raises only the positive term, by at most Slack·wG(b); Slack·(wG(b) + vG(a)) is subtracted, which also covers
/// the rounding of the few operations. The bound is then below the true curve, hence below any computed value at α.
/// </remarks>
internal sealed class ConvexCurveBounds
{
    /// <summary>
    /// Relative distance allowed between an anchor's computed value and the true curve: the subsampled Gaussian's
    /// values are within 1e-9 above it (<see cref="PoissonGaussianRdp.RelativeMargin"/> plus its error, as tested),
    /// closed forms within a few ulps; 1e-8 keeps a tenfold reserve.
    /// </summary>
    public const double Slack = 1e-8;

    private double[] _orders = new double[32];
    private double[] _g = new double[32];
    private int _count = 1; // the anchor G(1) = 0, exact

    public ConvexCurveBounds() => _orders[0] = 1;

    /// <summary>Adds the computed ε at a finite order α &gt; 1; infinite values carry no line and are ignored.</summary>
    public void Add(double alpha, double epsilon)
    {
        var i = Find(alpha);
        if (i >= 0 || !double.IsFinite(alpha) || !double.IsFinite(epsilon))
        {
            return;
        }
        i = ~i;
        if (_count == _orders.Length)
        {
            Array.Resize(ref _orders, 2 * _count);
            Array.Resize(ref _g, 2 * _count);
        }
        Array.Copy(_orders, i, _orders, i + 1, _count - i);
        Array.Copy(_g, i, _g, i + 1, _count - i);
        _orders[i] = alpha;
        _g[i] = (alpha - 1) * epsilon;
        _count++;
    }

    /// <summary>The largest anchor below α (1 if none).</summary>
    public double Below(double alpha)
    {
        var i = Find(alpha);
        return _orders[(i >= 0 ? i : ~i) - 1];
    }

    /// <summary>A lower bound (≥ 0) on the true curve, and so on any computed value, at an order α &gt; 1.</summary>
    public double Epsilon(double alpha)
    {
        var i = Find(alpha);
        if (i >= 0)
        {
            return _g[i] * (1 - Slack) / (alpha - 1);
        }
        if (!double.IsFinite(alpha))
        {
            return 0;
        }
        i = ~i; // _orders[i − 1] < α < _orders[i]; i ≥ 1 as the first anchor is 1
        double g = 0;
        if (i >= 2)
        {
            g = Math.Max(g, Line(i - 2, alpha));
        }
        if (i + 1 < _count)
        {
            g = Math.Max(g, Line(i, alpha));
        }
        return g / (alpha - 1);
    }

    // The secant through anchors j and j + 1 at α outside their interval, lowered by the slack.
    private double Line(int j, double alpha)
    {
        var w = (alpha - _orders[j]) / (_orders[j + 1] - _orders[j]);
        return (1 - w) * _g[j] + w * _g[j + 1] - Slack * (Math.Abs(1 - w) * _g[j] + Math.Abs(w) * _g[j + 1]);
    }

    // The anchor's index, or the complement of where it would go (as Array.BinarySearch).
    private int Find(double alpha)
    {
        int low = 0, high = _count - 1;
        while (low <= high)
        {
            var mid = (low + high) >> 1;
            if (_orders[mid] < alpha)
            {
                low = mid + 1;
            }
            else if (_orders[mid] > alpha)
            {
                high = mid - 1;
            }
            else
            {
                return mid;
            }
        }
        return ~low;
    }
}
