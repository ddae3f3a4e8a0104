using Accounting.Mechanisms.Validation;

namespace Accounting.Mechanisms.Events;

/// <summary>Checks every parameter of an event tree, and whether an accountant supports it under a relation.</summary>
public static class EventValidation
{
    /// <summary>Deeper trees than this are refused: no real plan nests this far, and recursion must stay bounded.</summary>
    public const int MaxDepth = 32;

    /// <summary>Every invalid parameter in the tree, each with its JSON path below <paramref name="path"/>.</summary>
    public static IReadOnlyList<ParameterError> Validate(PrivacyEvent? privacyEvent, string path = "event")
    {
        var errors = new List<ParameterError>();
        Collect(privacyEvent, path, 0, errors);
        return errors;
    }

    /// <summary>
    /// Errors for combinations the RDP accountant cannot bound soundly (dp_accounting's <c>supports</c>): Poisson
    /// sampling needs add/remove neighbours, sampling without replacement and randomized response need replace-one,
    /// and both samplings only wrap a Gaussian. Assumes <see cref="Validate"/> found nothing.
    /// </summary>
    public static IReadOnlyList<ParameterError> Unsupported(PrivacyEvent privacyEvent, NeighbouringRelation relation, string path = "event")
    {
        var errors = new List<ParameterError>();
        CollectUnsupported(privacyEvent, relation, path, errors);
        return errors;
    }

    /// <summary>Throws <see cref="InvalidParameterException"/> unless the event is valid and supported under the relation.</summary>
    public static void EnsureAccountable(PrivacyEvent? privacyEvent, NeighbouringRelation relation, string path = "event")
    {
        var errors = Validate(privacyEvent, path);
        if (errors.Count == 0)
        {
            errors = Unsupported(privacyEvent!, relation, path); // Validate reports a null event, so it is set here.
        }
        InvalidParameterException.ThrowIfAny(errors);
    }

    private static void Collect(PrivacyEvent? e, string path, int depth, List<ParameterError> errors)
    {
        if (depth > MaxDepth)
        {
            errors.Add(new(path, $"events may nest at most {MaxDepth} deep"));
            return;
        }
        switch (e)
        {
            case null:
                errors.Add(new(path, "an event is required"));
                break;
            case GaussianEvent g:
                Positive(g.NoiseMultiplier, $"{path}.noiseMultiplier", errors);
                break;
            case LaplaceEvent l:
                Positive(l.NoiseScale, $"{path}.noiseScale", errors);
                break;
            case RandomizedResponseEvent r:
                if (!(r.NoiseParameter > 0 && r.NoiseParameter <= 1))
                {
                    errors.Add(new($"{path}.noiseParameter", "must be a number in (0, 1]"));
                }
                if (r.NumBuckets < 2)
                {
                    errors.Add(new($"{path}.numBuckets", "must be at least 2"));
                }
                break;
            case ZcdpEvent z:
                if (!(double.IsFinite(z.Rho) && z.Rho >= 0))
                {
                    errors.Add(new($"{path}.rho", "must be a finite number ≥ 0"));
                }
                break;
            case PoissonSampledEvent p:
                if (!(p.SamplingRate > 0 && p.SamplingRate <= 1))
                {
                    errors.Add(new($"{path}.samplingRate", "must be a number in (0, 1]"));
                }
                Collect(p.Event, $"{path}.event", depth + 1, errors);
                break;
            case SampledWithoutReplacementEvent s:
                if (s.SourceSize < 1)
                {
                    errors.Add(new($"{path}.sourceSize", "must be at least 1"));
                }
                if (s.SampleSize < 1 || s.SampleSize > s.SourceSize)
                {
                    errors.Add(new($"{path}.sampleSize", "must be between 1 and sourceSize"));
                }
                Collect(s.Event, $"{path}.event", depth + 1, errors);
                break;
            case SelfComposedEvent c:
                if (c.Count < 0)
                {
                    errors.Add(new($"{path}.count", "must be ≥ 0"));
                }
                Collect(c.Event, $"{path}.event", depth + 1, errors);
                break;
            case ComposedEvent c when c.Events is null:
                errors.Add(new($"{path}.events", "a list of events is required"));
                break;
            case ComposedEvent c:
                for (var i = 0; i < c.Events.Count; i++)
                {
                    Collect(c.Events[i], $"{path}.events[{i}]", depth + 1, errors);
                }
                break;
            default:
                errors.Add(new($"{path}.type", $"unknown event type {e.GetType().Name}"));
                break;
        }
    }

    private static void Positive(double value, string field, List<ParameterError> errors)
    {
        if (!(double.IsFinite(value) && value > 0))
        {
            errors.Add(new(field, "must be a finite number > 0"));
        }
    }

    private static void CollectUnsupported(PrivacyEvent e, NeighbouringRelation relation, string path, List<ParameterError> errors)
    {
        switch (e)
        {
            case RandomizedResponseEvent when relation != NeighbouringRelation.ReplaceOne:
                // A respondent's report is replaced, not removed: the divergence is between two true values.
                errors.Add(new(path, "randomized response is accounted only under the replaceOne relation"));
                break;
            case PoissonSampledEvent p:
                if (relation != NeighbouringRelation.AddOrRemoveOne)
                {
                    errors.Add(new(path, "Poisson sampling is accounted only under the addOrRemoveOne relation"));
                }
                if (p.Event is not GaussianEvent)
                {
                    errors.Add(new($"{path}.event", "Poisson sampling is accounted only around a gaussian event"));
                }
                break;
            case SampledWithoutReplacementEvent s:
                if (relation != NeighbouringRelation.ReplaceOne)
                {
                    errors.Add(new(path, "sampling without replacement is accounted only under the replaceOne relation"));
                }
                if (s.Event is not GaussianEvent)
                {
                    errors.Add(new($"{path}.event", "sampling without replacement is accounted only around a gaussian event"));
                }
                break;
            case SelfComposedEvent c:
                CollectUnsupported(c.Event, relation, $"{path}.event", errors);
                break;
            case ComposedEvent c:
                for (var i = 0; i < c.Events.Count; i++)
                {
                    CollectUnsupported(c.Events[i], relation, $"{path}.events[{i}]", errors);
                }
                break;
        }
    }
}
