using System.Globalization;
using Accounting.Demo.Experiments;

namespace Accounting.Demo.Output;

/// <summary>
/// Round-by-round progress: redrawn in place on a terminal, a line every tenth of the plan when the output is
/// redirected (logs, CI).
/// </summary>
internal sealed class ProgressBar(TextWriter writer, string label, long plannedRounds)
{
    private const int Width = 30;
    private readonly bool interactive = writer == Console.Out && !Console.IsOutputRedirected;
    private double? lastAccuracy;

    /// <summary>Shows one round.</summary>
    public void Show(RoundReport round)
    {
        ArgumentNullException.ThrowIfNull(round);
        lastAccuracy = round.Accuracy ?? lastAccuracy;
        var done = round.Round + 1;
        var filled = (int)Math.Min(Width, Width * done / Math.Max(1, plannedRounds));
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{label} [{new string('#', filled)}{new string('.', Width - filled)}] {done,5}/{plannedRounds}  ε {round.Epsilon,7:F4}  accuracy {Format(lastAccuracy)}  units {round.Participating}");
        if (interactive)
        {
            writer.Write($"\r{text}");
        }
        else if (done % Math.Max(1, plannedRounds / 10) == 0 || done == plannedRounds)
        {
            writer.WriteLine(text);
        }
    }

    /// <summary>Ends the bar with the reason training stopped.</summary>
    public void Stop(string reason)
    {
        if (interactive)
        {
            writer.WriteLine();
        }
        writer.WriteLine($"{label} stopped: {reason}");
    }

    private static string Format(double? accuracy) =>
        accuracy is { } a ? a.ToString("P1", CultureInfo.InvariantCulture) : "  –  ";
}
