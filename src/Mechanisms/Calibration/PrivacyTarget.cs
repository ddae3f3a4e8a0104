using System.Text.Json.Serialization;
using Accounting.Mechanisms.Validation;

namespace Accounting.Mechanisms.Calibration;

/// <summary>What a run (or a budget) may spend: an (ε, δ) guarantee or a zCDP ρ.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(EpsilonDeltaTarget), "epsilonDelta")]
[JsonDerivedType(typeof(ZcdpTarget), "zcdp")]
public abstract record PrivacyTarget
{
    /// <summary>Every invalid field, named below <paramref name="path"/>.</summary>
    public abstract IReadOnlyList<ParameterError> Validate(string path = "target");
}

/// <summary>(ε, δ)-DP with ε &gt; 0 and δ ∈ (0, 1).</summary>
public sealed record EpsilonDeltaTarget(double Epsilon, double Delta) : PrivacyTarget
{
    /// <inheritdoc />
    public override IReadOnlyList<ParameterError> Validate(string path = "target")
    {
        var errors = new List<ParameterError>();
        if (!(double.IsFinite(Epsilon) && Epsilon > 0))
        {
            errors.Add(new($"{path}.epsilon", "must be a finite number > 0"));
        }
        if (!(Delta > 0 && Delta < 1))
        {
            errors.Add(new($"{path}.delta", "must be a number in (0, 1)"));
        }
        return errors;
    }
}

/// <summary>ρ-zCDP with ρ &gt; 0.</summary>
public sealed record ZcdpTarget(double Rho) : PrivacyTarget
{
    /// <inheritdoc />
    public override IReadOnlyList<ParameterError> Validate(string path = "target") =>
        double.IsFinite(Rho) && Rho > 0 ? [] : [new($"{path}.rho", "must be a finite number > 0")];
}
