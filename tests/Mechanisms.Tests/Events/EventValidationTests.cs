using Accounting.Mechanisms.Events;
using Accounting.Mechanisms.Validation;

namespace Accounting.Mechanisms.Tests.Events;

public sealed class EventValidationTests
{
    private static readonly GaussianEvent Gaussian = new(1);

    // Each invalid event and the JSON paths of every error it must produce, written from the schema (camelCase
    // member names, events[i] for list items, .event for a wrapped event).
    private static readonly Dictionary<string, (PrivacyEvent Event, string[] Fields)> Invalid = new(StringComparer.Ordinal)
    {
        ["gaussian zero"] = (new GaussianEvent(0), ["event.noiseMultiplier"]),
        ["gaussian negative"] = (new GaussianEvent(-1), ["event.noiseMultiplier"]),
        ["gaussian NaN"] = (new GaussianEvent(double.NaN), ["event.noiseMultiplier"]),
        ["gaussian infinite"] = (new GaussianEvent(double.PositiveInfinity), ["event.noiseMultiplier"]),
        ["laplace zero"] = (new LaplaceEvent(0), ["event.noiseScale"]),
        ["laplace negative zero"] = (new LaplaceEvent(-0.0), ["event.noiseScale"]),
        ["laplace NaN"] = (new LaplaceEvent(double.NaN), ["event.noiseScale"]),
        ["laplace infinite"] = (new LaplaceEvent(double.PositiveInfinity), ["event.noiseScale"]),
        ["randomized response p = 0"] = (new RandomizedResponseEvent(0, 2), ["event.noiseParameter"]),
        ["randomized response p > 1"] = (new RandomizedResponseEvent(1.0000000000000002, 2), ["event.noiseParameter"]),
        ["randomized response p NaN"] = (new RandomizedResponseEvent(double.NaN, 2), ["event.noiseParameter"]),
        ["randomized response one bucket"] = (new RandomizedResponseEvent(0.5, 1), ["event.numBuckets"]),
        ["randomized response both"] = (new RandomizedResponseEvent(-1, 0), ["event.noiseParameter", "event.numBuckets"]),
        ["zcdp negative"] = (new ZcdpEvent(-1e-300), ["event.rho"]),
        ["zcdp NaN"] = (new ZcdpEvent(double.NaN), ["event.rho"]),
        ["zcdp infinite"] = (new ZcdpEvent(double.PositiveInfinity), ["event.rho"]),
        ["poisson rate 0"] = (new PoissonSampledEvent(0, Gaussian), ["event.samplingRate"]),
        ["poisson rate > 1"] = (new PoissonSampledEvent(1.5, Gaussian), ["event.samplingRate"]),
        ["poisson rate NaN"] = (new PoissonSampledEvent(double.NaN, Gaussian), ["event.samplingRate"]),
        ["poisson invalid inner"] = (new PoissonSampledEvent(0.1, new GaussianEvent(0)), ["event.event.noiseMultiplier"]),
        ["poisson null inner"] = (new PoissonSampledEvent(0.1, null!), ["event.event"]),
        ["without replacement empty source"] = (new SampledWithoutReplacementEvent(0, 0, Gaussian), ["event.sourceSize", "event.sampleSize"]),
        ["without replacement sample 0"] = (new SampledWithoutReplacementEvent(10, 0, Gaussian), ["event.sampleSize"]),
        ["without replacement sample > source"] = (new SampledWithoutReplacementEvent(10, 11, Gaussian), ["event.sampleSize"]),
        ["without replacement null inner"] = (new SampledWithoutReplacementEvent(10, 1, null!), ["event.event"]),
        ["self composed negative count"] = (new SelfComposedEvent(-1, Gaussian), ["event.count"]),
        ["self composed invalid inner"] = (new SelfComposedEvent(2, new LaplaceEvent(-3)), ["event.event.noiseScale"]),
        ["composed null list"] = (new ComposedEvent(null!), ["event.events"]),
        ["composed null item"] = (new ComposedEvent([Gaussian, null!]), ["event.events[1]"]),
        ["composed nested"] = (new ComposedEvent([Gaussian, new SelfComposedEvent(3, new GaussianEvent(-2))]), ["event.events[1].event.noiseMultiplier"]),
    };

    public static TheoryData<string> InvalidNames => [.. Invalid.Keys];

    private static readonly Dictionary<string, PrivacyEvent> Valid = new(StringComparer.Ordinal)
    {
        ["smallest gaussian"] = new GaussianEvent(double.Epsilon),
        ["largest laplace"] = new LaplaceEvent(double.MaxValue),
        ["randomized response p = 1, k = 2"] = new RandomizedResponseEvent(1, 2),
        ["randomized response tiny p, many buckets"] = new RandomizedResponseEvent(double.Epsilon, int.MaxValue),
        ["zcdp zero"] = new ZcdpEvent(0),
        ["poisson rate 1"] = new PoissonSampledEvent(1, Gaussian),
        ["without replacement full sample"] = new SampledWithoutReplacementEvent(1, 1, Gaussian),
        ["self composed zero times"] = new SelfComposedEvent(0, Gaussian),
        ["empty composition"] = new ComposedEvent([]),
    };

    public static TheoryData<string> ValidNames => [.. Valid.Keys];

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void Each_invalid_parameter_is_named_by_its_json_path(string name)
    {
        var (e, fields) = Invalid[name];

        var errors = EventValidation.Validate(e);

        Assert.Equal(fields.Order(StringComparer.Ordinal), errors.Select(x => x.Field).Order(StringComparer.Ordinal));
        Assert.All(errors, x => Assert.False(string.IsNullOrWhiteSpace(x.Message)));
    }

    [Theory]
    [MemberData(nameof(ValidNames))]
    public void Parameters_on_the_boundary_of_their_range_are_valid(string name) =>
        Assert.Empty(EventValidation.Validate(Valid[name]));

    [Fact]
    public void Every_error_in_a_tree_is_reported()
    {
        var e = new ComposedEvent(
        [
            new GaussianEvent(0),
            Gaussian,
            new LaplaceEvent(-1),
            new PoissonSampledEvent(2, new RandomizedResponseEvent(0, 1)),
            new SelfComposedEvent(-5, new ComposedEvent([new ZcdpEvent(double.NaN), null!])),
        ]);

        var fields = EventValidation.Validate(e).Select(x => x.Field);

        string[] expected =
        [
            "event.events[0].noiseMultiplier",
            "event.events[2].noiseScale",
            "event.events[3].samplingRate",
            "event.events[3].event.noiseParameter",
            "event.events[3].event.numBuckets",
            "event.events[4].count",
            "event.events[4].event.events[0].rho",
            "event.events[4].event.events[1]",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), fields.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Paths_start_at_the_given_root()
    {
        var errors = EventValidation.Validate(new SelfComposedEvent(1, new GaussianEvent(0)), "plan.steps[2]");

        Assert.Equal("plan.steps[2].event.noiseMultiplier", Assert.Single(errors).Field);
    }

    [Fact]
    public void A_missing_event_is_reported_at_the_root() =>
        Assert.Equal("event", Assert.Single(EventValidation.Validate(null)).Field);

    [Fact]
    public void A_null_event_in_a_json_composition_is_reported()
    {
        // The reader accepts null list items (nullable annotations cover members, not elements); validation must not.
        var parsed = EventJson.Deserialize("""{"type":"composed","events":[{"type":"laplace","noiseScale":1},null]}""");

        Assert.Equal("event.events[1]", Assert.Single(EventValidation.Validate(parsed)).Field);
    }

    // A chain of n wrappers puts the leaf n levels below the root (the root is at level 0). Wrappers alternate:
    // a selfComposed at even levels, a one-item composition at odd levels.
    private static PrivacyEvent Chain(int wrappers)
    {
        PrivacyEvent e = Gaussian;
        for (var level = wrappers - 1; level >= 0; level--)
        {
            e = level % 2 == 0 ? new SelfComposedEvent(2, e) : new ComposedEvent([e]);
        }
        return e;
    }

    [Fact]
    public void Nesting_up_to_the_maximum_depth_is_valid() =>
        Assert.Empty(EventValidation.Validate(Chain(EventValidation.MaxDepth)));

    [Fact]
    public void Nesting_deeper_than_the_maximum_depth_is_refused_once_at_the_offending_node()
    {
        var errors = EventValidation.Validate(Chain(EventValidation.MaxDepth + 1));

        var error = Assert.Single(errors);
        // The path of the node MaxDepth + 1 levels down, one step per wrapper above it.
        var path = "event";
        for (var level = 0; level <= EventValidation.MaxDepth; level++)
        {
            path += level % 2 == 0 ? ".event" : ".events[0]";
        }
        Assert.Equal(path, error.Field);
    }

    [Fact]
    public void Very_deep_trees_are_refused_without_overflowing_the_stack()
    {
        var errors = EventValidation.Validate(Chain(200_000));

        Assert.Single(errors);
        Assert.Throws<InvalidParameterException>(() => EventValidation.EnsureAccountable(Chain(200_000), NeighbouringRelation.AddOrRemoveOne));
    }

    // The supports matrix: which relation each event kind is accounted under. An empty list means supported.
    private static readonly Dictionary<string, (PrivacyEvent Event, NeighbouringRelation Relation, string[] Fields)> Support =
        new(StringComparer.Ordinal)
        {
            ["gaussian, add/remove"] = (Gaussian, NeighbouringRelation.AddOrRemoveOne, []),
            ["gaussian, replace"] = (Gaussian, NeighbouringRelation.ReplaceOne, []),
            ["laplace, add/remove"] = (new LaplaceEvent(1), NeighbouringRelation.AddOrRemoveOne, []),
            ["laplace, replace"] = (new LaplaceEvent(1), NeighbouringRelation.ReplaceOne, []),
            ["zcdp, add/remove"] = (new ZcdpEvent(0.5), NeighbouringRelation.AddOrRemoveOne, []),
            ["zcdp, replace"] = (new ZcdpEvent(0.5), NeighbouringRelation.ReplaceOne, []),
            ["randomized response, replace"] = (new RandomizedResponseEvent(0.5, 2), NeighbouringRelation.ReplaceOne, []),
            ["randomized response, add/remove"] = (new RandomizedResponseEvent(0.5, 2), NeighbouringRelation.AddOrRemoveOne, ["event"]),
            ["poisson gaussian, add/remove"] = (new PoissonSampledEvent(0.1, Gaussian), NeighbouringRelation.AddOrRemoveOne, []),
            ["poisson gaussian, replace"] = (new PoissonSampledEvent(0.1, Gaussian), NeighbouringRelation.ReplaceOne, ["event"]),
            ["poisson laplace, add/remove"] = (new PoissonSampledEvent(0.1, new LaplaceEvent(1)), NeighbouringRelation.AddOrRemoveOne, ["event.event"]),
            ["poisson zcdp, replace"] = (new PoissonSampledEvent(0.1, new ZcdpEvent(1)), NeighbouringRelation.ReplaceOne, ["event", "event.event"]),
            ["poisson of composed gaussians, add/remove"] =
                (new PoissonSampledEvent(0.1, new ComposedEvent([Gaussian])), NeighbouringRelation.AddOrRemoveOne, ["event.event"]),
            ["poisson of poisson gaussian, add/remove"] =
                (new PoissonSampledEvent(0.1, new PoissonSampledEvent(0.1, Gaussian)), NeighbouringRelation.AddOrRemoveOne, ["event.event"]),
            ["without replacement gaussian, replace"] = (new SampledWithoutReplacementEvent(100, 10, Gaussian), NeighbouringRelation.ReplaceOne, []),
            ["without replacement gaussian, add/remove"] =
                (new SampledWithoutReplacementEvent(100, 10, Gaussian), NeighbouringRelation.AddOrRemoveOne, ["event"]),
            ["without replacement randomized response, replace"] =
                (new SampledWithoutReplacementEvent(100, 10, new RandomizedResponseEvent(0.5, 2)), NeighbouringRelation.ReplaceOne, ["event.event"]),
            ["without replacement laplace, add/remove"] =
                (new SampledWithoutReplacementEvent(100, 10, new LaplaceEvent(1)), NeighbouringRelation.AddOrRemoveOne, ["event", "event.event"]),
            ["nested in compositions"] = (
                new ComposedEvent(
                [
                    Gaussian,
                    new SelfComposedEvent(10, new PoissonSampledEvent(0.01, Gaussian)),
                    new ComposedEvent([new LaplaceEvent(1), new RandomizedResponseEvent(0.1, 3)]),
                    new SampledWithoutReplacementEvent(10, 2, Gaussian),
                ]),
                NeighbouringRelation.ReplaceOne,
                ["event.events[1].event"]),
        };

    public static TheoryData<string> SupportNames => [.. Support.Keys];

    [Theory]
    [MemberData(nameof(SupportNames))]
    public void Supports_matrix(string name)
    {
        var (e, relation, fields) = Support[name];

        Assert.Empty(EventValidation.Validate(e));
        var errors = EventValidation.Unsupported(e, relation);

        Assert.Equal(fields.Order(StringComparer.Ordinal), errors.Select(x => x.Field).Order(StringComparer.Ordinal));
        if (fields.Length == 0)
        {
            EventValidation.EnsureAccountable(e, relation);
        }
        else
        {
            var thrown = Assert.Throws<InvalidParameterException>(() => EventValidation.EnsureAccountable(e, relation));
            Assert.Equal(errors, thrown.Errors);
        }
    }

    [Fact]
    public void Unsupported_combinations_deep_in_a_tree_are_all_reported_under_add_or_remove()
    {
        var e = new ComposedEvent(
        [
            Gaussian,
            new SelfComposedEvent(10, new PoissonSampledEvent(0.01, Gaussian)),
            new ComposedEvent([new LaplaceEvent(1), new RandomizedResponseEvent(0.1, 3)]),
            new SampledWithoutReplacementEvent(10, 2, Gaussian),
        ]);

        var fields = EventValidation.Unsupported(e, NeighbouringRelation.AddOrRemoveOne).Select(x => x.Field);

        Assert.Equal(["event.events[2].events[1]", "event.events[3]"], fields.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ensure_accountable_throws_with_every_validation_error()
    {
        var e = new ComposedEvent([new GaussianEvent(0), new LaplaceEvent(double.NaN), new ZcdpEvent(-1)]);

        var thrown = Assert.Throws<InvalidParameterException>(() => EventValidation.EnsureAccountable(e, NeighbouringRelation.ReplaceOne));

        Assert.Equal(
            ["event.events[0].noiseMultiplier", "event.events[1].noiseScale", "event.events[2].rho"],
            thrown.Errors.Select(x => x.Field).Order(StringComparer.Ordinal));
        Assert.All(thrown.Errors, x => Assert.Contains(x.Field, thrown.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Ensure_accountable_throws_with_every_unsupported_combination()
    {
        var e = new ComposedEvent([new RandomizedResponseEvent(0.5, 2), new SampledWithoutReplacementEvent(5, 1, Gaussian)]);

        var thrown = Assert.Throws<InvalidParameterException>(() => EventValidation.EnsureAccountable(e, NeighbouringRelation.AddOrRemoveOne));

        Assert.Equal(["event.events[0]", "event.events[1]"], thrown.Errors.Select(x => x.Field).Order(StringComparer.Ordinal));
        Assert.All(thrown.Errors, x => Assert.Contains(x.Field, thrown.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Ensure_accountable_refuses_a_missing_event()
    {
        var thrown = Assert.Throws<InvalidParameterException>(() => EventValidation.EnsureAccountable(null, NeighbouringRelation.ReplaceOne));

        Assert.Equal("event", Assert.Single(thrown.Errors).Field);
    }
}
