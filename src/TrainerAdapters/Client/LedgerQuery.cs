using System.Globalization;

namespace Accounting.TrainerAdapters.Client;

/// <summary>
/// What part of the ledger to export and how (the filters of <c>GET /v1/audit/ledger</c>); null members mean no filter.
/// </summary>
/// <param name="Task">Only this task's entries.</param>
/// <param name="Unit">Only entries concerning this unit.</param>
/// <param name="From">Only entries recorded at or after this time.</param>
/// <param name="To">Only entries recorded before this time.</param>
/// <param name="After">Only entries after this sequence number, to resume an export.</param>
/// <param name="Csv">CSV (a header row, then one entry a row) instead of JSON Lines.</param>
public sealed record LedgerQuery(
    string? Task = null, string? Unit = null, DateTimeOffset? From = null, DateTimeOffset? To = null, long? After = null, bool Csv = false)
{
    /// <summary>The query string, starting with '?', or empty.</summary>
    internal string ToQueryString()
    {
        var parts = new List<string>();
        Add(parts, "format", Csv ? "csv" : null);
        Add(parts, "task", Task);
        Add(parts, "unit", Unit);
        Add(parts, "from", From?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        Add(parts, "to", To?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        Add(parts, "after", After?.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private static void Add(List<string> parts, string name, string? value)
    {
        if (value is not null)
        {
            parts.Add($"{name}={Uri.EscapeDataString(value)}");
        }
    }
}
