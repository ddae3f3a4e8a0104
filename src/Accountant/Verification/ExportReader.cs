namespace Accounting.Accountant.Verification;

/// <summary>The lines of an export file as bytes, read sequentially with one line in memory at a time.</summary>
internal static class ExportReader
{
    /// <summary>Non-blank lines with their 1-based line numbers, without line terminators (LF or CRLF).</summary>
    public static IEnumerable<(long Number, byte[] Line)> Lines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        int start = 0, end = 0;
        long number = 0;
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                number++;
                var line = buffer.AsSpan(start, newline).TrimEnd((byte)'\r');
                start += newline + 1;
                if (!line.IsEmpty)
                {
                    yield return (number, line.ToArray());
                }
                continue;
            }
            // No full line left in the buffer: keep the partial one and read more, growing for a line longer than the buffer.
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            (end, start) = (end - start, 0);
            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                var last = buffer.AsSpan(0, end).TrimEnd((byte)'\r');
                if (!last.IsEmpty)
                {
                    yield return (number + 1, last.ToArray());
                }
                yield break;
            }
            end += read;
        }
    }
}
