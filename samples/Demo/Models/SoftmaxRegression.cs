using Accounting.Demo.Data;

namespace Accounting.Demo.Models;

/// <summary>
/// Multinomial logistic regression: parameters are a weight matrix (classes × dimension, row by row) followed by a
/// bias per class; the loss is cross-entropy.
/// </summary>
internal sealed class SoftmaxRegression(int classes, int dimension)
{
    /// <summary>How many parameters the model has.</summary>
    public int ParameterCount => classes * (dimension + 1);

    /// <summary>The gradient of example <paramref name="i"/>'s loss: (p − e_y) xᵀ for the weights, p − e_y for the biases.</summary>
    public void Gradient(Examples data, int i, ReadOnlySpan<float> parameters, Span<float> gradient)
    {
        Span<double> p = stackalloc double[classes];
        Probabilities(data.Row(i), parameters, p);
        p[data.Labels[i]] -= 1;
        var x = data.Row(i);
        for (var k = 0; k < classes; k++)
        {
            for (var j = 0; j < dimension; j++)
            {
                gradient[(k * dimension) + j] = (float)(p[k] * x[j]);
            }
            gradient[(classes * dimension) + k] = (float)p[k];
        }
    }

    /// <summary>The share of <paramref name="data"/> the model labels correctly.</summary>
    public double Accuracy(Examples data, ReadOnlySpan<float> parameters)
    {
        Span<double> p = stackalloc double[classes];
        var correct = 0;
        for (var i = 0; i < data.Count; i++)
        {
            Probabilities(data.Row(i), parameters, p);
            var best = 0;
            for (var k = 1; k < classes; k++)
            {
                best = p[k] > p[best] ? k : best;
            }
            correct += best == data.Labels[i] ? 1 : 0;
        }
        return (double)correct / data.Count;
    }

    private void Probabilities(ReadOnlySpan<float> x, ReadOnlySpan<float> parameters, Span<double> p)
    {
        var max = double.NegativeInfinity;
        for (var k = 0; k < classes; k++)
        {
            var logit = (double)parameters[(classes * dimension) + k];
            for (var j = 0; j < dimension; j++)
            {
                logit += parameters[(k * dimension) + j] * x[j];
            }
            p[k] = logit;
            max = Math.Max(max, logit);
        }
        var sum = 0.0;
        for (var k = 0; k < classes; k++)
        {
            p[k] = Math.Exp(p[k] - max); // shifted by the largest logit so that no exponential overflows
            sum += p[k];
        }
        for (var k = 0; k < classes; k++)
        {
            p[k] /= sum;
        }
    }
}
