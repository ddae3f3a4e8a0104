namespace Accounting.Demo.Data;

/// <summary>Labelled feature vectors stored row by row.</summary>
/// <param name="Features">Example i's features at [i·Dimension, (i + 1)·Dimension).</param>
/// <param name="Labels">Example i's label.</param>
/// <param name="Dimension">Features per example.</param>
internal sealed record Examples(float[] Features, int[] Labels, int Dimension)
{
    /// <summary>How many examples there are.</summary>
    public int Count => Labels.Length;

    /// <summary>Example i's features.</summary>
    public ReadOnlySpan<float> Row(int i) => Features.AsSpan(i * Dimension, Dimension);
}
