using System.Collections.Immutable;
using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Rdp;

namespace Accounting.Mechanisms.Conversion;

/// <summary>
/// The order of a grid where a conversion of an event's RDP is smallest, computing the RDP only where the minimum can
/// be. The answer is the full scan's: the smallest value over every order of the grid, ties to the lowest index.
/// </summary>
/// <remarks>
/// For events with <see cref="RdpAccountant.HasConvexCurve"/>, <see cref="ConvexCurveBounds"/> gives a lower bound
/// on the RDP at every order from the values computed so far, and a measure nondecreasing in the RDP turns it into a
/// lower bound on that order's value. Orders are visited best bound first; an order is skipped only when its bound is
/// above the best value computed, so its own value could not have been smaller, and the answer equals the full
/// scan's. Were a bound ever wrong, skipping could only leave a larger minimum than the full scan, never a smaller
/// one: the reported value is always one actually computed at a grid order, so the search can only err towards a
/// larger (safer) ε. Before an order that costs an integral or a long sum is computed, the cheap integer orders
/// around it are computed as anchors to tighten its bound; they count only if they are grid orders themselves.
/// Other events are scanned in full.
/// </remarks>
internal static class OrderSearch
{
    // Integer orders up to this are computed directly: the binomial sum costs O(α), about one integral at α ≈ 64.
    private const int CheapIntegerOrder = 64;

    /// <summary>
    /// The index and value of the smallest measure(i, ε(αᵢ)) over the grid; (−1, +∞) if none is below +∞.
    /// <paramref name="measure"/> must be nondecreasing in its RDP argument.
    /// </summary>
    public static (int Index, double Value) Minimise(
        PrivacyEvent privacyEvent, ImmutableArray<double> orders, Func<int, double, double> measure)
    {
        if (!RdpAccountant.HasConvexCurve(privacyEvent))
        {
            var best = (Index: -1, Value: double.PositiveInfinity);
            for (var i = 0; i < orders.Length; i++)
            {
                best = Better(best, i, measure(i, RdpAccountant.At(privacyEvent, orders[i])));
            }
            return best;
        }
        var search = new Search(privacyEvent, orders, measure);
        // Two cheap anchors give every order a bound from a secant line.
        search.Compute(2);
        search.Compute(3);
        return search.Run();
    }

    // The better of the best so far and order i's value, as a scan in index order keeps it: strictly smaller wins,
    // ties go to the lower index, and +∞ never counts.
    private static (int Index, double Value) Better((int Index, double Value) best, int i, double value) =>
        value < best.Value || (value == best.Value && best.Index >= 0 && i < best.Index) ? (i, value) : best;

    private sealed class Search(PrivacyEvent privacyEvent, ImmutableArray<double> orders, Func<int, double, double> measure)
    {
        private readonly ConvexCurveBounds _bounds = new();
        private readonly HashSet<double> _anchors = [];
        private readonly bool[] _computed = new bool[orders.Length];

        public (int Index, double Value) Best { get; private set; } = (-1, double.PositiveInfinity);

        /// <summary>ε at α, kept as an anchor and, at a grid order, measured against the best.</summary>
        public void Compute(double alpha)
        {
            var epsilon = RdpAccountant.At(privacyEvent, alpha);
            _anchors.Add(alpha);
            _bounds.Add(alpha, epsilon);
            var i = orders.BinarySearch(alpha);
            if (i < 0 || _computed[i])
            {
                return;
            }
            _computed[i] = true;
            Best = Better(Best, i, measure(i, epsilon));
        }

        public (int Index, double Value) Run()
        {
            // While the highest order could still be best, climb its ladder first: that lifts the bounds of all high
            // orders before they are queued, instead of each being queued, taken out and dropped.
            var last = orders.Length - 1;
            while (!_computed[last] && !(Bound(last) > Best.Value) && TighteningAnchor(orders[last]) is var step && !double.IsNaN(step))
            {
                Compute(step);
            }
            // Keys are lower bounds that only tighten as anchors are added: a stale key is still a bound. An order whose
            // bound is above the best value is dropped for good, as bounds only rise and the best only falls.
            var queue = new PriorityQueue<int, double>(orders.Length);
            for (var i = 0; i < orders.Length; i++)
            {
                if (!_computed[i] && Bound(i) is var bound && !(bound > Best.Value))
                {
                    queue.Enqueue(i, bound);
                }
            }
            while (queue.TryDequeue(out var i, out var key) && !(key > Best.Value))
            {
                if (_computed[i])
                {
                    continue;
                }
                var bound = Bound(i);
                if (bound > Best.Value)
                {
                    continue;
                }
                if (bound > key)
                {
                    queue.Enqueue(i, bound);
                    continue;
                }
                var anchor = TighteningAnchor(orders[i]);
                if (double.IsNaN(anchor))
                {
                    Compute(orders[i]);
                }
                else
                {
                    Compute(anchor);
                    queue.Enqueue(i, bound);
                }
            }
            return Best;
        }

        private double Bound(int i) => measure(i, _bounds.Epsilon(orders[i]));

        // A cheap integer order not computed yet whose value would tighten the bound at α, or NaN when α itself should
        // be computed: for a fractional α the integers ⌊α⌋, ⌈α⌉ and their outer neighbours (the secant lines nearest
        // α); for a costly integer α a doubling ladder above the largest finite anchor, while a step costs at most
        // half of α. Each order is computed at most once (an infinite value adds no anchor), so the search ends.
        private double TighteningAnchor(double alpha)
        {
            if (!double.IsFinite(alpha))
            {
                return double.NaN;
            }
            var floor = Math.Floor(alpha);
            if (floor != alpha)
            {
                foreach (var k in (ReadOnlySpan<double>)[floor, floor + 1, floor - 1, floor + 2])
                {
                    if (k >= 2 && !_anchors.Contains(k))
                    {
                        return k;
                    }
                }
                return double.NaN;
            }
            var ladder = 2 * Math.Floor(_bounds.Below(alpha));
            return alpha > CheapIntegerOrder && ladder <= alpha / 2 && !_anchors.Contains(ladder) ? ladder : double.NaN;
        }
    }
}
