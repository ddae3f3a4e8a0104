namespace Accounting.Demo.Experiments;

/// <summary>One private round as the demo prints it.</summary>
/// <param name="Round">The step the service charged.</param>
/// <param name="Epsilon">The task's ε spent after the round, as the service answered the charge.</param>
/// <param name="Accuracy">Test accuracy after the round, when it was evaluated.</param>
/// <param name="Participating">Units still in the task.</param>
/// <param name="Contributors">Units whose data went into the round.</param>
internal sealed record RoundReport(long Round, double? Epsilon, double? Accuracy, long Participating, int Contributors);
