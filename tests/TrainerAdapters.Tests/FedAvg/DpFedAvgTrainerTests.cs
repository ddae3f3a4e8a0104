using Accounting.Accountant.Contracts;
using Accounting.Mechanisms.Calibration;
using Accounting.Mechanisms.Events;
using Accounting.TrainerAdapters.Aggregation;
using Accounting.TrainerAdapters.FedAvg;
using Accounting.TrainerAdapters.Tests.Support;
using MathNet.Numerics.Distributions;

namespace Accounting.TrainerAdapters.Tests.FedAvg;

/// <summary>
/// Personalised DP-FedAvg (billboard model): a shared linear model released under DP, and a personal bias per client
/// that only the client itself trains and holds.
/// </summary>
public sealed class DpFedAvgTrainerTests : LiveAccountant
{
    private const int Clients = 30;
    private const int Rounds = 15;
    private const double Q = 0.3;
    private const double ClipNorm = 1;
    private static readonly float[] SharedOptimum = [1, -2, 0.5f];

    [Fact]
    public async Task Only_sampled_clients_train_and_what_leaves_a_client_is_its_clipped_shared_change()
    {
        // Lifetime budgets above this task's quota, except three clients whose small budgets end their part early.
        await Client.SetDefaultBudgetAsync(UnitKind.Client, new BudgetDto(20, 1e-6, null, "filter/v1", NeighbouringRelation.AddOrRemoveOne, UnitKind.Client));
        var ids = await CohortAsync("fedavg", UnitKind.Client, Clients);
        int[] small = [0, 5, 10];
        for (var k = 0; k < small.Length; k++)
        {
            await SetBudgetsAsync([ids[small[k]]], 5 + k);
        }
        var task = await TaskAsync("fedavg", UnitKind.Client, new TrainingPlan(Rounds, SamplingScheme.Poisson, Q), 8, 1e-5, ClipNorm);
        var log = new List<Call>();
        var opened = await ChargedTask.OpenAsync(Client, task.Id, ids);
        var step = 0L;
        var random = new Random(7);
        var clients = Enumerable.Range(0, Clients).Select(c => new PersonalClient(c, 10 + c, random, () => step, log)).ToArray();
        var trainer = new DpFedAvgTrainer(new PrivateAggregator(opened, SharedOptimum.Length), clients, serverLearningRate: 1);
        var shared = new float[SharedOptimum.Length];
        var excludedAt = new Dictionary<int, long>();
        var (observed, expected) = (new List<double>(), new List<double>());

        for (var r = 0; r < Rounds; r++)
        {
            var before = (float[])shared.Clone();
            var personalBefore = clients.Select(c => c.Personal).ToArray();
            var first = log.Count;
            step = opened.NextStep;
            var round = Assert.IsType<RoundCharged>(await trainer.RoundAsync(shared));
            var calls = log[first..];
            foreach (var unit in round.Charge.ExcludedUnits)
            {
                excludedAt.Add(Array.IndexOf(ids, unit), round.Step);
            }

            // Exactly the sampled clients still in the task trained, once each, from the billboard as it stood.
            Assert.Equal(round.Contributors, calls.Select(c => c.Client));
            Assert.All(calls, c => Assert.Equal(before, c.Shared));
            Assert.All(calls, c => Assert.Equal(SharedOptimum.Length, c.Delta.Length));
            Assert.True(calls.Count < round.Charge.ParticipatingUnits, "every client still in the task was drawn"); // P ≤ 0.3^27
            // Personal state changes only inside the client's own training: clients not called kept theirs.
            Assert.All(clients.Where(c => !round.Contributors.Contains(c.Index)), c => Assert.Equal(personalBefore[c.Index], c.Personal));
            // The billboard moved by the clipped mean of those shared changes plus the service's noise, nothing else.
            var deviation = round.Charge.NoiseStandardDeviation!.Value / (Q * round.Charge.ParticipatingUnits);
            for (var i = 0; i < shared.Length; i++)
            {
                observed.Add((shared[i] - before[i]) / deviation);
                expected.Add(calls.Sum(c => c.Delta[i] * Math.Min(1, ClipNorm / Norm(c.Delta))) / (Q * round.Charge.ParticipatingUnits) / deviation);
            }
        }

        NoisyResult.AssertWithinNoise(observed, expected, 1, Significance.PerTest, "billboard updates");
        Assert.Equal(small, excludedAt.Keys.Order());
        foreach (var client in clients)
        {
            var index = client.Index;
            var calledIn = log.Where(call => call.Client == index).ToList();
            Assert.Equal(calledIn.Count, client.PersonalUpdates);
            if (excludedAt.TryGetValue(index, out var at))
            {
                Assert.All(calledIn, call => Assert.True(call.Round < at, $"client {index} trained in round {call.Round}, excluded at {at}"));
            }
            if (calledIn.Count == 0)
            {
                Assert.Equal(0, client.Personal);
            }
            else
            {
                // Meaningful: the personal bias moved from 0 towards the client's own bias, which the billboard never saw.
                Assert.True(Math.Abs(client.Personal - client.Bias) < client.Bias, $"client {index}: personal {client.Personal}, bias {client.Bias}");
            }
        }
    }

    private static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));

    private sealed record Call(int Client, long Round, float[] Shared, float[] Delta);

    /// <summary>
    /// Eight examples y = ⟨w*, x⟩ + b with the client's own bias b; the model is ⟨w, x⟩ + p with w shared and p personal.
    /// Local training: three full-batch gradient steps on both; only w's change is written back.
    /// </summary>
    private sealed class PersonalClient : IFederatedClient
    {
        private readonly float[][] features;
        private readonly float[] labels;
        private readonly Func<long> round;
        private readonly List<Call> log;

        public PersonalClient(int index, float bias, Random random, Func<long> round, List<Call> log)
        {
            Index = index;
            Bias = bias;
            this.round = round;
            this.log = log;
            features = [.. Enumerable.Range(0, 8).Select(_ => SharedOptimum.Select(_ => (float)Normal.Sample(random, 0, 1)).ToArray())];
            labels = [.. features.Select(x => x.Zip(SharedOptimum, (a, b) => a * b).Sum() + bias)];
        }

        public int Index { get; }

        public float Bias { get; }

        public float Personal { get; private set; }

        public int PersonalUpdates { get; private set; }

        public void TrainLocally(ReadOnlySpan<float> sharedModel, Span<float> sharedDelta)
        {
            var w = sharedModel.ToArray();
            for (var step = 0; step < 3; step++)
            {
                var (gradientW, gradientP) = (new float[w.Length], 0f);
                for (var j = 0; j < labels.Length; j++)
                {
                    var residual = features[j].Zip(w, (a, b) => a * b).Sum() + Personal - labels[j];
                    for (var i = 0; i < w.Length; i++)
                    {
                        gradientW[i] += residual * features[j][i] / labels.Length;
                    }
                    gradientP += residual / labels.Length;
                }
                for (var i = 0; i < w.Length; i++)
                {
                    w[i] -= 0.1f * gradientW[i];
                }
                Personal -= 0.1f * gradientP;
            }
            PersonalUpdates++;
            for (var i = 0; i < w.Length; i++)
            {
                sharedDelta[i] = w[i] - sharedModel[i];
            }
            log.Add(new Call(Index, round(), sharedModel.ToArray(), sharedDelta.ToArray()));
        }
    }
}
