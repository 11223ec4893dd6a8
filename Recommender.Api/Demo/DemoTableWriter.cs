using Microsoft.Data.Sqlite;

namespace Recommender.Api.Demo;

/// <summary>
/// One prepared, parameterised INSERT into a table, reused for every row: preparing once and
/// binding values is what keeps tens of thousands of rows inside a single transaction fast.
/// </summary>
internal sealed class DemoTableWriter : IDisposable
{
    private readonly SqliteCommand command;
    private readonly SqliteParameter[] parameters;

    public DemoTableWriter(SqliteConnection connection, SqliteTransaction transaction, string table, params string[] columns)
    {
        command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"""INSERT INTO "{table}" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) """ +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
        parameters = columns.Select((_, i) => command.Parameters.Add(new SqliteParameter($"@p{i}", null))).ToArray();
        command.Prepare();
    }

    public int Rows { get; private set; }

    /// <summary>Inserts one row; values are in the order of the columns given at construction, null for NULL.</summary>
    public void Insert(params object?[] values)
    {
        if (values.Length != parameters.Length)
            throw new ArgumentException($"Expected {parameters.Length} values, got {values.Length}.", nameof(values));
        for (var i = 0; i < values.Length; i++)
            parameters[i].Value = values[i] ?? DBNull.Value;
        command.ExecuteNonQuery();
        Rows++;
    }

    public void Dispose() => command.Dispose();
}
