namespace Accounting.TrainerAdapters.FedAvg;

/// <summary>
/// One client of federated training. It holds its data and any personal part of the model itself: the driver only
/// ever sees the change it proposes to the shared part, and that change is clipped and noised before it is summed.
/// </summary>
public interface IFederatedClient
{
    /// <summary>
    /// Trains locally from the shared parameters (updating its personal part, if it has one, in place) and writes the
    /// change of the shared part, local minus <paramref name="sharedModel"/>, into <paramref name="sharedDelta"/> (zeroed).
    /// </summary>
    void TrainLocally(ReadOnlySpan<float> sharedModel, Span<float> sharedDelta);
}
