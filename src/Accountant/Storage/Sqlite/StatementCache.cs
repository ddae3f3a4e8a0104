using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Accounting.Accountant.Storage.Sqlite;

/// <summary>
/// Prepared statements of one long-lived connection, by SQL text. Microsoft.Data.Sqlite prepares a command's
/// statements on its first run and keeps them while the command lives, but Dapper makes a new command for every call:
/// preparing was a quarter of the writer's time under load. Here each SQL text keeps its command, parameters are bound
/// by name from the parameter object's properties (as Dapper binds them), and rows are read with Dapper's own row
/// parsers, so results are the same as through Dapper. Parameter objects with members of other types (lists that
/// Dapper expands, say) are not taken: <see cref="CanBind"/> says so and the caller uses Dapper. A member typed
/// <c>object</c> (a dialect's id list) is taken when its value is of a type bound here.
/// </summary>
internal sealed partial class StatementCache : IDisposable
{
    private static readonly ConcurrentDictionary<Type, Binder?> Binders = new();
    private static readonly HashSet<Type> Bindable =
        [typeof(string), typeof(long), typeof(int), typeof(double), typeof(bool), typeof(byte[]), typeof(long?), typeof(int?), typeof(double?), typeof(bool?)];

    private const int LargeValue = 1 << 20;

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public StatementCache(SqliteConnection connection) => _connection = connection;

    /// <summary>Whether <paramref name="parameters"/> (an object, or a list of objects for one run each) binds here.</summary>
    public static bool CanBind(object? parameters) => parameters switch
    {
        null => true,
        string => false,
        IEnumerable rows => rows.Cast<object?>().All(row => row is not null and not IEnumerable && Binds(row)),
        _ => Binds(parameters),
    };

    /// <summary>Every row, as Dapper's Query would map it.</summary>
    public List<T> Query<T>(SqliteTransaction transaction, string sql, object? parameters)
    {
        var rows = new List<T>();
        using (var reader = Bound(transaction, sql, parameters).ExecuteReader())
        {
            var parse = Parser<T>(reader);
            while (reader.Read())
            {
                rows.Add(parse(reader));
            }
        }
        Unbind(sql);
        return rows;
    }

    /// <summary>One row or none, as Dapper's QuerySingleOrDefault: more than one is an error.</summary>
    public T? Single<T>(SqliteTransaction transaction, string sql, object? parameters)
    {
        T? row = default;
        var more = false;
        using (var reader = Bound(transaction, sql, parameters).ExecuteReader())
        {
            if (reader.Read())
            {
                row = Parser<T>(reader)(reader);
                more = reader.Read();
            }
        }
        Unbind(sql);
        return more ? throw new InvalidOperationException("Sequence contains more than one element") : row;
    }

    /// <summary>Runs the statement once, or once per row for a list; the rows changed.</summary>
    public int Execute(SqliteTransaction transaction, string sql, object? parameters)
    {
        var changed = parameters is IEnumerable rows and not string
            ? rows.Cast<object>().Sum(row => Bound(transaction, sql, row).ExecuteNonQuery())
            : Bound(transaction, sql, parameters).ExecuteNonQuery();
        Unbind(sql);
        return changed;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
    }

    private SqliteCommand Bound(SqliteTransaction transaction, string sql, object? parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in ParameterNames(sql))
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
            _commands[sql] = command;
        }
        command.Transaction = transaction;
        var binder = parameters is null ? null : BinderOf(parameters.GetType());
        foreach (SqliteParameter parameter in command.Parameters)
        {
            var getter = binder?.Getter(parameter.ParameterName[1..])
                ?? throw new InvalidOperationException($"no value for {parameter.ParameterName} in: {sql}");
            parameter.Value = getter(parameters!) ?? DBNull.Value;
        }
        return command;
    }

    // SQLite keeps its own copy of a bound value until the statement is bound again, so a kept statement that ran with
    // a large value (a registration's id list or ledger entry: tens of MB) would hold it, and its parameter the value.
    // Such a statement is dropped, to be prepared again when next used.
    private void Unbind(string sql)
    {
        var command = _commands[sql];
        foreach (SqliteParameter parameter in command.Parameters)
        {
            if (parameter.Value is string { Length: > LargeValue / sizeof(char) } or byte[] { Length: > LargeValue })
            {
                _commands.Remove(sql);
                command.Dispose();
                return;
            }
        }
    }

    // Dapper's mapping of a row to T (its untyped parser: the typed one cannot give strings and other simple types).
    private static Func<SqliteDataReader, T> Parser<T>(SqliteDataReader reader)
    {
        var parse = reader.GetRowParser(typeof(T));
        return r => parse(r) is { } value ? (T)value : default!;
    }

    // The distinct @names in the SQL text, as written.
    private static IEnumerable<string> ParameterNames(string sql) =>
        ParameterName().Matches(sql).Select(m => m.Value).Distinct(StringComparer.Ordinal);

    private static Binder? BinderOf(Type type) => Binders.GetOrAdd(type, Binder.For);

    private static bool Binds(object row) => BinderOf(row.GetType()) is { } binder && binder.Binds(row);

    [GeneratedRegex(@"(?<![\w@])@\w+")]
    private static partial Regex ParameterName();

    /// <summary>Compiled getters of a parameter type's public properties, or null when one has a type not bound here.</summary>
    private sealed class Binder
    {
        private readonly Dictionary<string, Func<object, object?>> _getters;
        private readonly List<Func<object, object?>> _untyped;

        private Binder(Dictionary<string, Func<object, object?>> getters, List<Func<object, object?>> untyped) =>
            (_getters, _untyped) = (getters, untyped);

        // Dapper matches parameter names to properties regardless of case.
        public Func<object, object?>? Getter(string name) => _getters.GetValueOrDefault(name);

        // Whether the values of the members typed object are ones bound here.
        public bool Binds(object row) => _untyped.TrueForAll(get => get(row) is not { } value || Bindable.Contains(value.GetType()));

        public static Binder? For(Type type)
        {
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToList();
            if (properties.Count == 0 || properties.Any(p => p.PropertyType != typeof(object) && !Bindable.Contains(p.PropertyType)))
            {
                return null;
            }
            var getters = new Dictionary<string, Func<object, object?>>(StringComparer.OrdinalIgnoreCase);
            var untyped = new List<Func<object, object?>>();
            foreach (var property in properties)
            {
                var instance = Expression.Parameter(typeof(object));
                var body = Expression.Convert(Expression.Property(Expression.Convert(instance, type), property), typeof(object));
                getters[property.Name] = Expression.Lambda<Func<object, object?>>(body, instance).Compile();
                if (property.PropertyType == typeof(object))
                {
                    untyped.Add(getters[property.Name]);
                }
            }
            return new Binder(getters, untyped);
        }
    }
}
