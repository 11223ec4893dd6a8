using Microsoft.Data.Sqlite;

namespace Recommender.Api.Demo;

/// <summary>
/// One prepared, parameterised INSERT into a table, reused for every row: preparing once and
/// binding values is what keeps tens of thousands of rows inside a single transaction fast.
/// </summary>
internal sealed class DemoTableWriter : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;

    public DemoTableWriter(SqliteConnection connection, SqliteTransaction transaction, string table, params string[] columns)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText =
            $"""INSERT INTO "{table}" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) """ +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
        _parameters = columns.Select((_, i) => _command.Parameters.Add(new SqliteParameter($"@p{i}", null))).ToArray();
        _command.Prepare();
    }

    public int Rows { get; private set; }

    /// <summary>Inserts one row; values are in the order of the columns given at construction, null for NULL.</summary>
    public void Insert(params object?[] values)
    {
        if (values.Length != _parameters.Length)
            throw new ArgumentException($"Expected {_parameters.Length} values, got {values.Length}.", nameof(values));
        for (var i = 0; i < values.Length; i++)
            _parameters[i].Value = values[i] ?? DBNull.Value;
        _command.ExecuteNonQuery();
        Rows++;
    }

    public void Dispose() => _command.Dispose();
}
