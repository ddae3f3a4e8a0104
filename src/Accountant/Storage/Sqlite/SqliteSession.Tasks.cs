namespace Accounting.Accountant.Storage.Sqlite;

internal sealed partial class SqliteSession
{
    /// <inheritdoc />
    public override TaskRow? GetTask(string id)
    {
        if (memo?.Task(id) is { } remembered)
        {
            return remembered;
        }
        var task = base.GetTask(id);
        if (task is not null)
        {
            memo?.Remember(task);
        }
        return task;
    }

    /// <inheritdoc />
    public override void AddTask(TaskRow task)
    {
        ArgumentNullException.ThrowIfNull(task);
        base.AddTask(task);
        memo?.Remember(task);
    }

    /// <inheritdoc />
    public override void UpdateTask(TaskRow task)
    {
        ArgumentNullException.ThrowIfNull(task);
        base.UpdateTask(task);
        memo?.Remember(task);
    }
}
