namespace Accounting.TrainerAdapters.Aggregation;

/// <summary>
/// Writes one unit's contribution (a per-example gradient, a client's model change, a task's meta-gradient) into
/// <paramref name="destination"/>, which arrives zeroed. It is called only for sampled units that are not excluded,
/// so it is the one place a unit's data is read.
/// </summary>
/// <param name="unit">The unit's index in the list the task was opened with.</param>
/// <param name="destination">The contribution, of the aggregator's dimension.</param>
public delegate void Contribution(int unit, Span<float> destination);
