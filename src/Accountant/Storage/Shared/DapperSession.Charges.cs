namespace Accounting.Accountant.Storage.Shared;

internal abstract partial class DapperSession
{
    private const string ChargeColumns =
        "task_id AS TaskId, step AS Step, idempotency_key AS IdempotencyKey, request_hash AS RequestHash, response AS Response";

    /// <inheritdoc />
    public ChargeRow? GetCharge(string taskId, long stepIndex) =>
        Single<ChargeRow>($"SELECT {ChargeColumns} FROM charges WHERE task_id = @taskId AND step = @step", new { taskId, step = stepIndex });

    /// <inheritdoc />
    public ChargeRow? GetChargeByKey(string taskId, string key) =>
        Single<ChargeRow>($"SELECT {ChargeColumns} FROM charges WHERE task_id = @taskId AND idempotency_key = @key", new { taskId, key });

    /// <inheritdoc />
    public void AddCharge(ChargeRow charge) =>
        Execute(
            """
            INSERT INTO charges (task_id, step, idempotency_key, request_hash, response)
            VALUES (@TaskId, @Step, @IdempotencyKey, @RequestHash, @Response)
            """, charge);
}
