using System.Collections.Frozen;

namespace Accounting.Mechanisms.Rdp;

/// <summary>The grids the product knows, by key. Orders are computed as 1 + x/10.0 so that they are the nearest doubles to the decimals.</summary>
public static class OrderGrids
{
    /// <summary>dp_accounting's default: 1.1, 1.2, …, 10.9, 11..63, 128, 256, 512, 1024 (156 orders). The default reporting grid.</summary>
    public static OrderGrid DpAccounting { get; } = new(
        "dp-accounting", 1,
        Tenths(1, 99).Concat(Range(11, 63)).Concat([128, 256, 512, 1024]));

    /// <summary>Opacus' default: 1.1, 1.2, …, 10.9, 12..63 (151 orders).</summary>
    public static OrderGrid Opacus { get; } = new("opacus", 1, Tenths(1, 99).Concat(Range(12, 63)));

    /// <summary>
    /// A small grid for the individual filter, where the grid size divides δ (Feldman &amp; Zrnic 2021, Thm 4.5):
    /// 24 orders spread over the range where (ε, δ) conversions of training runs land.
    /// </summary>
    public static OrderGrid Filter { get; } = new(
        "filter", 1,
        [1.25, 1.5, 1.75, 2, 2.25, 2.5, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 32, 48, 64, 128]);

    private static readonly FrozenDictionary<string, OrderGrid> ByKey =
        new[] { DpAccounting, Opacus, Filter }.ToFrozenDictionary(g => g.Key, StringComparer.Ordinal);

    /// <summary>Every known grid.</summary>
    public static IEnumerable<OrderGrid> All => ByKey.Values;

    /// <summary>The grid with this key, if known.</summary>
    public static bool TryGet(string key, out OrderGrid grid) => ByKey.TryGetValue(key, out grid!);

    private static IEnumerable<double> Tenths(int from, int to) =>
        Enumerable.Range(from, to - from + 1).Select(x => 1 + x / 10.0);

    private static IEnumerable<double> Range(int from, int to) =>
        Enumerable.Range(from, to - from + 1).Select(x => (double)x);
}
