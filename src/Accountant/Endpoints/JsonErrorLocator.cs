using System.Text.Json;

namespace Accounting.Accountant.Endpoints;

/// <summary>
/// The JSON path of the value at which a body failed to parse or bind. System.Text.Json's own path loses detail
/// inside polymorphic objects (it stops at <c>$.event</c>), so the buffered body is re-read up to the error's
/// position with a reader that tracks the path.
/// </summary>
public static class JsonErrorLocator
{
    /// <summary>The dotted path (e.g. <c>event.events[1].noiseMultiplier</c>) at the line and byte of the error, or null.</summary>
    public static string? PathAt(ReadOnlySpan<byte> json, long line, long bytePositionInLine)
    {
        var target = Offset(json, line, bytePositionInLine);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var path = new List<Segment>();
        try
        {
            while (reader.Read() && reader.TokenStartIndex < target)
            {
                Step(ref reader, path);
            }
        }
        catch (JsonException)
        {
            // The reader stopped at the syntax error itself: the path so far is where it is.
        }
        return Format(path) is { Length: > 0 } located ? located : null;
    }

    private static void Step(ref Utf8JsonReader reader, List<Segment> path)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                path[^1] = path[^1] with { Property = reader.GetString() };
                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                Advance(path);
                path.Add(new Segment(reader.TokenType == JsonTokenType.StartArray, null, -1));
                break;
            case JsonTokenType.EndObject or JsonTokenType.EndArray:
                path.RemoveAt(path.Count - 1);
                break;
            default:
                Advance(path);
                break;
        }
    }

    // A value inside an array moves its index on.
    private static void Advance(List<Segment> path)
    {
        if (path.Count > 0 && path[^1].IsArray)
        {
            path[^1] = path[^1] with { Index = path[^1].Index + 1 };
        }
    }

    private static string Format(List<Segment> path)
    {
        var text = new System.Text.StringBuilder();
        foreach (var segment in path)
        {
            if (segment.IsArray && segment.Index >= 0)
            {
                text.Append('[').Append(segment.Index).Append(']');
            }
            else if (!segment.IsArray && segment.Property is not null)
            {
                text.Append(text.Length == 0 ? "" : ".").Append(segment.Property);
            }
        }
        return text.ToString();
    }

    private static long Offset(ReadOnlySpan<byte> json, long line, long bytePositionInLine)
    {
        long offset = 0;
        for (var l = 0L; l < line; l++)
        {
            var next = json[(int)offset..].IndexOf((byte)'\n');
            if (next < 0)
            {
                return json.Length;
            }
            offset += next + 1;
        }
        return Math.Min(json.Length, offset + bytePositionInLine);
    }

    private readonly record struct Segment(bool IsArray, string? Property, int Index);
}
