using System.Text;

namespace Accounting.Accountant.Storage;

/// <summary>
/// A JSON value cut out of a ledger payload to be kept elsewhere (<see cref="SharedJson"/>, <see cref="SensitivityList"/>):
/// the payload keeps <c>null</c> in its place, so that it stays valid JSON for the dialects' JSON functions, and the
/// UTF-8 byte offset of that place; splicing the value back gives the payload the chain hashed, byte for byte.
/// </summary>
public static class PayloadCut
{
    private const string Placeholder = "null";

    private static ReadOnlySpan<byte> PlaceholderUtf8 => "null"u8;

    /// <summary>
    /// The payload (UTF-8) with <paramref name="value"/>'s first occurrence replaced by the placeholder, still UTF-8 (a
    /// large payload as a string would be twice its size, on the large-object heap), and the byte offset where it was;
    /// null when absent.
    /// </summary>
    public static (byte[] Stored, int Utf8Offset)? Cut(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> value)
    {
        var at = payload.IndexOf(value);
        if (at < 0)
        {
            return null;
        }
        var rest = payload[(at + value.Length)..];
        var stored = new byte[at + PlaceholderUtf8.Length + rest.Length];
        payload[..at].CopyTo(stored);
        PlaceholderUtf8.CopyTo(stored.AsSpan(at));
        rest.CopyTo(stored.AsSpan(at + PlaceholderUtf8.Length));
        return (stored, at);
    }

    /// <summary>The payload <see cref="Cut"/> stored, with <paramref name="text"/> back in the placeholder's place.</summary>
    public static string Splice(string stored, long utf8Offset, string text)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var at = 0;
        for (var bytes = 0L; bytes < utf8Offset && at < stored.Length;)
        {
            var rune = Rune.GetRuneAt(stored, at);
            bytes += rune.Utf8SequenceLength;
            at += rune.Utf16SequenceLength;
        }
        return string.CompareOrdinal(stored, at, Placeholder, 0, Placeholder.Length) == 0
            ? string.Concat(stored.AsSpan(0, at), text, stored.AsSpan(at + Placeholder.Length))
            : throw new InvalidDataException($"a stored ledger payload has no placeholder at byte {utf8Offset}");
    }
}
