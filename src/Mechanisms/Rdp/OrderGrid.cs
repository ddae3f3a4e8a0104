using System.Collections.Immutable;
using Accounting.Mechanisms.Numerics;

namespace Accounting.Mechanisms.Rdp;

/// <summary>
/// A named, versioned, finite set of Rényi orders α &gt; 1, ascending. A budget keeps the grid it was created with
/// forever, so a grid's orders never change under its key; a new set of orders is a new version.
/// </summary>
public sealed class OrderGrid
{
    /// <summary>Creates a grid; the orders must be finite or +∞, above 1, strictly ascending.</summary>
    public OrderGrid(string name, int version, IEnumerable<double> orders)
    {
        Name = name;
        Version = version;
        Orders = [.. orders];
        if (Orders.IsEmpty)
        {
            throw new ArgumentException("a grid needs at least one order", nameof(orders));
        }
        for (var i = 0; i < Orders.Length; i++)
        {
            if (!(Orders[i] > 1) || double.IsNaN(Orders[i]) || (i > 0 && !(Orders[i] > Orders[i - 1])))
            {
                throw new ArgumentException("orders must be above 1 and strictly ascending", nameof(orders));
            }
        }
        LogOrders = [.. Orders.Select(Math.Log)];
        LogShrinks = [.. Orders.Select(a => LogSpace.Log1p(-1 / a))];
    }

    /// <summary>The grid's name, e.g. <c>dp-accounting</c>.</summary>
    public string Name { get; }

    /// <summary>The version of the named grid.</summary>
    public int Version { get; }

    /// <summary>Stable key stored with budgets and curves: <c>name/vN</c>.</summary>
    public string Key => $"{Name}/v{Version}";

    /// <summary>The orders, ascending.</summary>
    public ImmutableArray<double> Orders { get; }

    /// <summary>log α of each order: with <see cref="LogShrinks"/>, what each (ε, δ) conversion at the order needs.</summary>
    internal ImmutableArray<double> LogOrders { get; }

    /// <summary>log(1 − 1/α) of each order.</summary>
    internal ImmutableArray<double> LogShrinks { get; }

    /// <summary>Number of orders.</summary>
    public int Count => Orders.Length;

    /// <inheritdoc />
    public override string ToString() => Key;
}
