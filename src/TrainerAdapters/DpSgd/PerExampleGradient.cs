namespace Accounting.TrainerAdapters.DpSgd;

/// <summary>Writes the loss gradient of one example at <paramref name="parameters"/> into <paramref name="gradient"/> (zeroed).</summary>
/// <param name="example">The example's index in the task's unit list.</param>
/// <param name="parameters">The model's parameters.</param>
/// <param name="gradient">Receives ∇ℓ(parameters; example).</param>
public delegate void PerExampleGradient(int example, ReadOnlySpan<float> parameters, Span<float> gradient);
