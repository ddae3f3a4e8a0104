using System.Globalization;

namespace Accounting.Accountant.Storage;

/// <summary>
/// Times are stored as ISO 8601 round-trip text in both dialects: the ledger's hash covers the text as stored, and
/// UTC text in this format sorts in time order.
/// </summary>
internal static class StoredTime
{
    public static string Text(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
}
