using System.Net;
using Accounting.Accountant.Tests.Infrastructure;
using Accounting.TestSupport;
using Microsoft.Data.Sqlite;

namespace Accounting.Accountant.Tests;

public class ChargeTableMigrationTests
{
    private const string Charges = "v1/tasks/moved-task/charges";

    [Fact]
    public async Task Answers_stored_before_the_charges_table_moved_to_arrival_order_still_replay_and_guard_their_steps()
    {
        await using var service = await ServiceProcess.StartAsync();
        var answers = new List<string>();
        using (var api = new Api(service.CreateClient()))
        {
            await api.CohortAsync("moved", Builders.UnitIds("moved", 10));
            await api.DpSgdTaskAsync("moved-task", "moved", steps: 20, samplingRate: 0.1, epsilon: 4);
            for (var step = 0; step < 4; step++)
            {
                var (status, body, _) = await api.RawAsync(HttpMethod.Post, Charges, "{}", idempotencyKey: $"moved-{step}");
                Assert.Equal(HttpStatusCode.OK, status);
                answers.Add(body.GetRawText());
            }
        }
        await service.StopAsync();
        Downgrade(service.DatabasePath);
        await service.StartAgainAsync();

        using var again = new Api(service.CreateClient());
        for (var step = 0; step < 4; step++)
        {
            var byKey = await again.RawAsync(HttpMethod.Post, Charges, "{}", idempotencyKey: $"moved-{step}");
            Assert.Equal(answers[step], byKey.Body.GetRawText());
            var byStep = await again.RawAsync(HttpMethod.Post, Charges, $$"""{"step": {{step}}}""");
            Assert.Equal(answers[step], byStep.Body.GetRawText());
        }
        var changed = await again.RawAsync(HttpMethod.Post, Charges, """{"event": {"type": "gaussian", "noiseMultiplier": 50}}""", idempotencyKey: "moved-1");
        Assert.Equal(HttpStatusCode.Conflict, changed.Status);
        Assert.Equal(4, (await again.TaskAsync("moved-task")).NextStep);

        // Charges go on after the moved ones.
        var next = await again.RawAsync(HttpMethod.Post, Charges, "{}", idempotencyKey: "moved-4");
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.Equal(4, next.Body.GetProperty("step").GetInt64());
        Assert.Equal(5, (await again.TaskAsync("moved-task")).NextStep);
    }

    // Puts the charges table back as migration 005 found it: clustered by (task, step), without a rowid.
    private static void Downgrade(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            CREATE TABLE clustered (
                task_id TEXT NOT NULL, step INTEGER NOT NULL, idempotency_key TEXT, request_hash BLOB NOT NULL, response TEXT NOT NULL,
                PRIMARY KEY (task_id, step)
            ) WITHOUT ROWID;
            INSERT INTO clustered SELECT task_id, step, idempotency_key, request_hash, response FROM charges;
            DROP TABLE charges;
            ALTER TABLE clustered RENAME TO charges;
            CREATE UNIQUE INDEX charges_by_key ON charges (task_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
            DELETE FROM schema_migrations WHERE version = 5;
            """;
        command.ExecuteNonQuery();
    }
}
