using System.Text;
using System.Text.Json;
using Accounting.Mechanisms.Events;

namespace Accounting.Mechanisms.Tests.Events;

public sealed class EventJsonTests
{
    // Every event kind, leaves and wrappers, plus awkward doubles (shortest round-trip digits, subnormals, 0.1 + 0.2)
    // and extreme integers, so that a round trip must preserve every bit.
    private static readonly Dictionary<string, PrivacyEvent> Examples = new(StringComparer.Ordinal)
    {
        ["gaussian"] = new GaussianEvent(1.1),
        ["gaussian with 0.1 + 0.2"] = new GaussianEvent(0.1 + 0.2),
        ["gaussian with a subnormal"] = new GaussianEvent(double.Epsilon),
        ["gaussian with the largest double"] = new GaussianEvent(double.MaxValue),
        ["laplace"] = new LaplaceEvent(0.5),
        ["randomized response"] = new RandomizedResponseEvent(0.25, 7),
        ["zcdp"] = new ZcdpEvent(1e-300),
        ["poisson sampled"] = new PoissonSampledEvent(0.01, new GaussianEvent(0.8)),
        ["sampled without replacement"] = new SampledWithoutReplacementEvent(long.MaxValue, 3, new GaussianEvent(2.5)),
        ["self composed"] = new SelfComposedEvent(long.MaxValue, new LaplaceEvent(3)),
        ["empty composition"] = new ComposedEvent([]),
        ["composed tree"] = new ComposedEvent(
        [
            new SelfComposedEvent(1000, new PoissonSampledEvent(1.0 / 3, new GaussianEvent(1.3))),
            new ComposedEvent([new ZcdpEvent(0), new RandomizedResponseEvent(1, 2)]),
            new SelfComposedEvent(0, new SampledWithoutReplacementEvent(60_000, 256, new GaussianEvent(0.9))),
            new PoissonSampledEvent(1, new ComposedEvent([new LaplaceEvent(1e6)])),
        ]),
    };

    public static TheoryData<string> ExampleNames => [.. Examples.Keys];

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void Every_event_kind_round_trips(string name)
    {
        var original = Examples[name];

        var json = EventJson.Serialize(original);
        var parsed = EventJson.Deserialize(json);

        Assert.Equal(original, parsed);
        Assert.Equal(json, EventJson.Serialize(parsed));
    }

    [Fact]
    public void Json_is_camel_case_with_a_type_discriminator_first()
    {
        var e = new ComposedEvent(
        [
            new PoissonSampledEvent(0.01, new GaussianEvent(1.1)),
            new SelfComposedEvent(3, new RandomizedResponseEvent(0.5, 4)),
            new SampledWithoutReplacementEvent(100, 10, new GaussianEvent(2)),
            new LaplaceEvent(0.25),
            new ZcdpEvent(0.125),
        ]);

        // Written by hand from the documented format, not captured from the serializer.
        const string expected =
            """{"type":"composed","events":[""" +
            """{"type":"poissonSampled","samplingRate":0.01,"event":{"type":"gaussian","noiseMultiplier":1.1}},""" +
            """{"type":"selfComposed","count":3,"event":{"type":"randomizedResponse","noiseParameter":0.5,"numBuckets":4}},""" +
            """{"type":"sampledWithoutReplacement","sourceSize":100,"sampleSize":10,"event":{"type":"gaussian","noiseMultiplier":2}},""" +
            """{"type":"laplace","noiseScale":0.25},""" +
            """{"type":"zcdp","rho":0.125}]}""";
        Assert.Equal(expected, EventJson.Serialize(e));
    }

    [Fact]
    public void Hand_written_json_parses_to_the_intended_tree()
    {
        const string json = """
            {
              "type": "selfComposed",
              "count": 20,
              "event": {
                "type": "sampledWithoutReplacement",
                "sourceSize": 1000,
                "sampleSize": 10,
                "event": { "type": "gaussian", "noiseMultiplier": 2.5 }
              }
            }
            """;

        Assert.Equal(
            new SelfComposedEvent(20, new SampledWithoutReplacementEvent(1000, 10, new GaussianEvent(2.5))),
            EventJson.Deserialize(json));
    }

    [Fact]
    public void Type_may_come_after_other_members()
    {
        const string json = """
            {"samplingRate":0.5,"event":{"noiseMultiplier":1.5,"type":"gaussian"},"type":"poissonSampled"}
            """;

        Assert.Equal(new PoissonSampledEvent(0.5, new GaussianEvent(1.5)), EventJson.Deserialize(json));
    }

    [Fact]
    public void Neighbouring_relations_are_written_in_camel_case()
    {
        Assert.Equal("\"addOrRemoveOne\"", JsonSerializer.Serialize(NeighbouringRelation.AddOrRemoveOne, EventJson.Options));
        Assert.Equal("\"replaceOne\"", JsonSerializer.Serialize(NeighbouringRelation.ReplaceOne, EventJson.Options));
        Assert.Equal(NeighbouringRelation.ReplaceOne, JsonSerializer.Deserialize<NeighbouringRelation>("\"replaceOne\"", EventJson.Options));
    }

    // Inputs the strict reader must refuse, each with a JsonException (or a subclass of it).
    private static readonly Dictionary<string, string> Refused = new(StringComparer.Ordinal)
    {
        ["unknown type"] = """{"type":"exponential","noiseScale":1}""",
        ["unknown type nested"] = """{"type":"selfComposed","count":2,"event":{"type":"Gaussian","noiseMultiplier":1}}""",
        ["missing required number"] = """{"type":"gaussian"}""",
        ["missing required integer"] = """{"type":"randomizedResponse","noiseParameter":0.5}""",
        ["missing inner event"] = """{"type":"poissonSampled","samplingRate":0.1}""",
        ["null inner event"] = """{"type":"poissonSampled","samplingRate":0.1,"event":null}""",
        ["missing event list"] = """{"type":"composed"}""",
        ["null event list"] = """{"type":"composed","events":null}""",
        ["number given as string"] = """{"type":"gaussian","noiseMultiplier":"1.5"}""",
        ["integer given as string"] = """{"type":"randomizedResponse","noiseParameter":0.5,"numBuckets":"3"}""",
        ["count given as string"] = """{"type":"selfComposed","count":"2","event":{"type":"laplace","noiseScale":1}}""",
        ["fractional count"] = """{"type":"selfComposed","count":2.5,"event":{"type":"laplace","noiseScale":1}}""",
        ["NaN as string"] = """{"type":"gaussian","noiseMultiplier":"NaN"}""",
        ["Infinity as string"] = """{"type":"laplace","noiseScale":"Infinity"}""",
        ["-Infinity as string"] = """{"type":"zcdp","rho":"-Infinity"}""",
        ["NaN literal"] = """{"type":"gaussian","noiseMultiplier":NaN}""",
        ["Infinity literal"] = """{"type":"laplace","noiseScale":Infinity}""",
        ["-Infinity literal"] = """{"type":"zcdp","rho":-Infinity}""",
        ["unknown member"] = """{"type":"gaussian","noiseMultiplier":1,"sigma":1}""",
        ["unknown member nested"] = """{"type":"composed","events":[{"type":"laplace","noiseScale":1,"extra":null}]}""",
        ["null document"] = "null",
        ["empty document"] = "",
        ["array document"] = """[{"type":"gaussian","noiseMultiplier":1}]""",
    };

    public static TheoryData<string> RefusedNames => [.. Refused.Keys];

    [Theory]
    [MemberData(nameof(RefusedNames))]
    public void Malformed_or_unknown_input_is_refused(string name) =>
        Assert.ThrowsAny<JsonException>(() => EventJson.Deserialize(Refused[name]));

    [Fact]
    public void Missing_type_is_refused() =>
        Assert.ThrowsAny<JsonException>(() => EventJson.Deserialize("""{"noiseMultiplier":1}"""));

    [Fact]
    public void Duplicate_members_are_refused() =>
        Assert.ThrowsAny<JsonException>(() => EventJson.Deserialize("""{"type":"gaussian","noiseMultiplier":1,"noiseMultiplier":2}"""));

    // A JSON number beyond double range is legal JSON; the reader turns it into ±∞. Whichever layer stops it, such an
    // event must never reach an accountant: the reader refuses it, or validation reports the field.
    [Theory]
    [InlineData("""{"type":"zcdp","rho":1e400}""", "event.rho")]
    [InlineData("""{"type":"gaussian","noiseMultiplier":1e400}""", "event.noiseMultiplier")]
    [InlineData("""{"type":"laplace","noiseScale":-1e400}""", "event.noiseScale")]
    [InlineData("""{"type":"poissonSampled","samplingRate":1e400,"event":{"type":"gaussian","noiseMultiplier":1}}""", "event.samplingRate")]
    public void Numbers_overflowing_to_infinity_never_pass_both_reader_and_validation(string json, string field)
    {
        PrivacyEvent parsed;
        try
        {
            parsed = EventJson.Deserialize(json);
        }
        catch (JsonException)
        {
            return;
        }
        Assert.Contains(field, EventValidation.Validate(parsed).Select(e => e.Field));
    }

    [Fact]
    public void Nesting_beyond_the_reader_depth_is_refused_without_overflowing_the_stack()
    {
        var json = new StringBuilder();
        const int depth = 10_000;
        for (var i = 0; i < depth; i++)
        {
            json.Append("""{"type":"selfComposed","count":1,"event":""");
        }
        json.Append("""{"type":"gaussian","noiseMultiplier":1}""").Append('}', depth);

        Assert.ThrowsAny<JsonException>(() => EventJson.Deserialize(json.ToString()));
    }
}
