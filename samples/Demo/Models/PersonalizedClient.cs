using Accounting.Demo.Data;
using Accounting.TrainerAdapters.FedAvg;

namespace Accounting.Demo.Models;

/// <summary>
/// A client of the multitask model p(y = 1 | x) = sigmoid(⟨h, Bx⟩ + c): the representation B (4 × 20) is shared and
/// trained privately across clients; the head (h, c) is the client's own and stays here. Local training follows
/// FedRep (Collins et al. 2021, "Exploiting shared representations for personalized federated learning", Algorithm 1):
/// fit the head with B fixed, then take a few steps on B with the head fixed, and propose only B's change.
/// </summary>
internal sealed class PersonalizedClient(Examples train, Examples test) : IFederatedClient
{
    public const int Representation = FederatedData.Representation;
    public const int Dimension = FederatedData.Dimension;
    public const int SharedCount = Representation * Dimension;

    private const int HeadSteps = 10;
    private const double HeadLearningRate = 0.5;
    private const int RepresentationSteps = 5;
    private const double RepresentationLearningRate = 0.1;

    private readonly float[] head = new float[Representation + 1]; // h, then the bias c

    /// <inheritdoc />
    public void TrainLocally(ReadOnlySpan<float> sharedModel, Span<float> sharedDelta)
    {
        var map = sharedModel.ToArray();
        FitHead(map, head, HeadSteps);
        var gradient = new double[SharedCount];
        for (var s = 0; s < RepresentationSteps; s++)
        {
            Array.Clear(gradient);
            for (var i = 0; i < train.Count; i++)
            {
                var x = train.Row(i);
                var g = Residual(map, head, x, train.Labels[i]) / train.Count;
                for (var r = 0; r < Representation; r++)
                {
                    for (var j = 0; j < Dimension; j++)
                    {
                        gradient[(r * Dimension) + j] += g * head[r] * x[j]; // ∂/∂B of the logistic loss: g·h xᵀ
                    }
                }
            }
            for (var p = 0; p < SharedCount; p++)
            {
                map[p] = (float)(map[p] - (RepresentationLearningRate * gradient[p]));
            }
        }
        for (var p = 0; p < SharedCount; p++)
        {
            sharedDelta[p] = map[p] - sharedModel[p];
        }
    }

    /// <summary>
    /// Test accuracy after the client fits a head to <paramref name="sharedModel"/> on its own data (local work that
    /// releases nothing); its kept head is the starting point and is left unchanged.
    /// </summary>
    public double Accuracy(ReadOnlySpan<float> sharedModel)
    {
        var map = sharedModel.ToArray();
        var fitted = (float[])head.Clone();
        FitHead(map, fitted, 2 * HeadSteps);
        var correct = 0;
        for (var i = 0; i < test.Count; i++)
        {
            correct += (Logit(map, fitted, test.Row(i)) > 0 ? 1 : 0) == test.Labels[i] ? 1 : 0;
        }
        return (double)correct / test.Count;
    }

    private void FitHead(float[] map, float[] fitted, int steps)
    {
        var features = new double[train.Count * Representation];
        for (var i = 0; i < train.Count; i++)
        {
            Represent(map, train.Row(i), features.AsSpan(i * Representation, Representation));
        }
        var gradient = new double[Representation + 1];
        for (var s = 0; s < steps; s++)
        {
            Array.Clear(gradient);
            for (var i = 0; i < train.Count; i++)
            {
                var z = features.AsSpan(i * Representation, Representation);
                var logit = (double)fitted[Representation];
                for (var r = 0; r < Representation; r++)
                {
                    logit += fitted[r] * z[r];
                }
                var g = (Sigmoid(logit) - train.Labels[i]) / train.Count;
                for (var r = 0; r < Representation; r++)
                {
                    gradient[r] += g * z[r];
                }
                gradient[Representation] += g;
            }
            for (var r = 0; r <= Representation; r++)
            {
                fitted[r] = (float)(fitted[r] - (HeadLearningRate * gradient[r]));
            }
        }
    }

    private static double Residual(float[] map, float[] head, ReadOnlySpan<float> x, int label) =>
        Sigmoid(Logit(map, head, x)) - label;

    private static double Logit(float[] map, float[] head, ReadOnlySpan<float> x)
    {
        Span<double> z = stackalloc double[Representation];
        Represent(map, x, z);
        var logit = (double)head[Representation];
        for (var r = 0; r < Representation; r++)
        {
            logit += head[r] * z[r];
        }
        return logit;
    }

    private static void Represent(float[] map, ReadOnlySpan<float> x, Span<double> z)
    {
        for (var r = 0; r < Representation; r++)
        {
            var sum = 0.0;
            for (var j = 0; j < Dimension; j++)
            {
                sum += map[(r * Dimension) + j] * x[j];
            }
            z[r] = sum;
        }
    }

    private static double Sigmoid(double t) => 1 / (1 + Math.Exp(-t));
}
