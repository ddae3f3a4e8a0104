namespace Accounting.Mechanisms.Calibration;

/// <summary>Thrown when no noise multiplier (or step count) meets a target, naming the target's field.</summary>
public sealed class UnreachableTargetException(string field, string message) : InvalidOperationException(message)
{
    /// <summary>The JSON path of the target field that cannot be met.</summary>
    public string Field { get; } = field;
}
