using System.Text;
using System.Text.Json.Nodes;

namespace Accounting.Accountant.Tests.Fuzzing;

/// <summary>One hostile request: an operation with a mutated path, query and body.</summary>
/// <param name="Operation">The operation it targets.</param>
/// <param name="Path">The request path and query.</param>
/// <param name="Body">The body bytes, if any.</param>
/// <param name="ContentType">The body's declared content type.</param>
/// <param name="Mutation">What was done to the valid request, for the failure message.</param>
/// <param name="Malformed">
/// Whether the body can be no valid request whatever the path: an unknown or duplicate member, nesting past 64, cut
/// short or followed by more, over 1 MB, not declared JSON, empty, or not an object.
/// </param>
public sealed record HostileRequest(Operation Operation, string Path, byte[]? Body, string ContentType, string Mutation, bool Malformed)
{
    private const string Raw = "\u0001raw\u0001";

    // The mutations (see MutateBody) after which no body is a valid request.
    private static readonly HashSet<int> NeverValid = [2, 4, 6, 7, 8, 9, 10, 11, 13];

    // Values no valid request holds in most places; the NaN/Infinity literals are not JSON at all.
    private static readonly string[] Literals =
    [
        "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "-0", "0", "-1", "9223372036854775808",
        "-9223372036854775809", "1.7976931348623157e308", "4.9e-324", "123456789012345678901234567890", "\"\"", "\"x\"",
        "\"NaN\"", "true", "false", "null", "[]", "{}", "[1,2]", "\"😀\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\u202e\"",
        "\"a\\u0301\"", "\"名前/値\"", $"\"{new string('x', 100_000)}\"",
    ];

    // No NUL: Kestrel refuses a request line holding %00 itself (400, no body) before any application code runs.
    private static readonly string[] HostileIds =
    [
        "😀", "\u202Eevil", "a\u0301", "名前", new string('x', 5_000), "..", "%", "%2F..%2F", " padded ", "a\tb",
        "no-such-thing", "fuzz-task/../fuzz-cohort",
    ];

    private static readonly string[] HostileQueryValues =
    [
        "-1", "0", "abc", "1e9", "99999999999999999999", "NaN", "", "😀", "2026-13-45", "\u202E", new string('9', 1_000),
    ];

    /// <summary>A request built from <paramref name="seed"/>: deterministic, so a failing case can be replayed.</summary>
    public static HostileRequest Create(Operation operation, int mutation, int seed, IReadOnlyDictionary<string, string> knownIds)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(knownIds);
        var random = new Random(seed);
        var path = FillPath(operation.Path, random, knownIds) + Query(operation, random);
        if (operation.Example is null)
        {
            return new HostileRequest(operation, path, null, "application/json", "path and query only", Malformed: false);
        }
        var (body, contentType, what) = MutateBody(operation.Example, mutation, random);
        return new HostileRequest(operation, path, body, contentType, what, NeverValid.Contains(mutation));
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Operation.Method} {Path} [{Mutation}] {(Body is null ? "" : Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 300)))}";

    private static string FillPath(string template, Random random, IReadOnlyDictionary<string, string> knownIds)
    {
        var segments = template.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i] is ['{', .., '}'])
            {
                var known = knownIds.TryGetValue(segments[i - 1], out var id) ? id : "example";
                segments[i] = Uri.EscapeDataString(random.NextDouble() < 0.6 ? known : HostileIds[random.Next(HostileIds.Length)]);
            }
        }
        return string.Join('/', segments);
    }

    private static string Query(Operation operation, Random random)
    {
        var parts = operation.Query.Where(_ => random.NextDouble() < 0.5)
            .Select(name => $"{name}={Uri.EscapeDataString(HostileQueryValues[random.Next(HostileQueryValues.Length)])}");
        var query = string.Join('&', parts);
        return query.Length == 0 ? "" : $"?{query}";
    }

    private static (byte[] Body, string ContentType, string What) MutateBody(string example, int mutation, Random random)
    {
        const string json = "application/json";
        var root = JsonNode.Parse(example)!;
        switch (mutation)
        {
            case 0:
                return (Utf8(example), json, "the valid example");
            case 1:
                var literal = Literals[random.Next(Literals.Length)];
                return (Replace(root, random, literal), json, $"a value replaced by {Truncate(literal)}");
            case 2:
                RandomObject(root, random)[$"unknown{random.Next(100)}"] = 1;
                return (Utf8(root.ToJsonString()), json, "an unknown member");
            case 3:
                var holder = RandomObject(root, random);
                if (holder.Count > 0)
                {
                    holder.Remove(holder.ElementAt(random.Next(holder.Count)).Key);
                }
                return (Utf8(root.ToJsonString()), json, "a member removed");
            case 4:
                var depth = random.Next(65, 5_000);
                return (Replace(root, random, new string('[', depth) + "1" + new string(']', depth)), json, $"nesting {depth} deep");
            case 5:
                return (Replace(root, random, "[" + string.Join(',', Enumerable.Repeat("1", 100_000)) + "]"), json, "an array of 100,000 numbers");
            case 6:
                return (Utf8(example[..random.Next(example.Length)]), json, "truncated");
            case 7:
                return (Utf8(example + " {\"trailing\": 1}"), json, "trailing content");
            case 8:
                var text = root.ToJsonString();
                var first = text.IndexOf("\":", StringComparison.Ordinal);
                var start = text.LastIndexOf('"', first - 1);
                var member = text[start..(first + 2)];
                return (Utf8(text.Insert(1, $"{member}0,")), json, $"duplicate member {member}");
            case 9:
                return (Replace(root, random, $"\"{new string('y', 1_100_000)}\""), json, "a body over 1 MB");
            case 10:
                return (Utf8(example), "text/plain", "the valid example as text/plain");
            case 11:
                return ([], json, "an empty body");
            case 12:
                var bytes = new byte[random.Next(1, 200)];
                random.NextBytes(bytes);
                return (bytes, json, "random bytes");
            default:
                var top = new[] { "[]", "\"x\"", "1", "null", "[{}]" }[random.Next(5)];
                return (Utf8(top), json, $"a top-level {top}");
        }
    }

    // Replaces a random value in the tree by raw text, which may be invalid JSON on purpose.
    private static byte[] Replace(JsonNode root, Random random, string raw)
    {
        var values = Descendants(root).Where(n => n.Parent is not null).ToList();
        if (values.Count == 0)
        {
            return Utf8(raw);
        }
        var target = values[random.Next(values.Count)];
        switch (target.Parent)
        {
            case JsonObject parent:
                parent[target.GetPropertyName()] = Raw;
                break;
            case JsonArray array:
                array[target.GetElementIndex()] = Raw;
                break;
        }
        return Utf8(root.ToJsonString().Replace(JsonValue.Create(Raw).ToJsonString(), raw, StringComparison.Ordinal));
    }

    private static JsonObject RandomObject(JsonNode root, Random random)
    {
        var objects = Descendants(root).OfType<JsonObject>().ToList();
        return objects[random.Next(objects.Count)];
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var descendant in Descendants(child))
            {
                yield return descendant;
            }
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Truncate(string text) => text.Length > 40 ? $"{text[..40]}…" : text;
}
