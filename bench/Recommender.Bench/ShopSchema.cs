using Npgsql;

namespace Recommender.Bench;

/// <summary>Creates the database, the schema and the shop tables (from the test fixture's DDL).</summary>
internal static class ShopSchema
{
    private const string DdlResource = "shop-schema.postgres.sql";

    /// <summary>Creates the connection string's database when it does not exist; true when it did so.</summary>
    public static async Task<bool> EnsureDatabaseAsync(NpgsqlConnectionStringBuilder target, CancellationToken cancellationToken)
    {
        try
        {
            await using var probe = new NpgsqlConnection(target.ConnectionString);
            await probe.OpenAsync(cancellationToken);
            return false;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName && target.Database is { } name)
        {
            var maintenance = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres", Pooling = false };
            await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Quote(name)}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
    }

    /// <summary>
    /// Creates (or with <paramref name="drop"/> drops and recreates) the schema, points the session's
    /// search_path at it and runs the shop DDL there, inside the caller's transaction. The DDL's
    /// foreign keys are returned rather than run: added after the data, each is checked by one join
    /// instead of a trigger per row (pg_dump restores in the same order for the same reason).
    /// </summary>
    public static async Task<string> CreateAsync(NpgsqlConnection connection, string schema, bool drop, CancellationToken cancellationToken)
    {
        var quoted = Quote(schema);
        var prepare = drop
            ? $"DROP SCHEMA IF EXISTS {quoted} CASCADE; CREATE SCHEMA {quoted};"
            : $"CREATE SCHEMA IF NOT EXISTS {quoted};";
        await ExecuteAsync(connection, $"{prepare} SET LOCAL search_path TO {quoted};", cancellationToken);

        // The fixture is plain Prisma output: whole-line comments, no semicolons inside statements.
        var withoutComments = string.Join('\n', ReadDdl().Split('\n')
            .Where(line => !line.TrimStart().StartsWith("--", StringComparison.Ordinal)));
        var statements = withoutComments
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToLookup(statement => statement.Contains("FOREIGN KEY", StringComparison.OrdinalIgnoreCase));
        try
        {
            await ExecuteAsync(connection, string.Join(";\n", statements[false]), cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.DuplicateTable)
        {
            throw new InvalidOperationException(
                $"schema \"{schema}\" already holds shop objects ({e.MessageText}); pass --drop to rebuild it", e);
        }
        return string.Join(";\n", statements[true]);
    }

    public static async Task AnalyzeAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        var tables = new[] { "Product", "Order", "OrderItem", "Cart", "CartItem", "Wishlist", "WishlistItem" };
        var sql = string.Join(' ', tables.Select(t => $"ANALYZE {Quote(schema)}.{Quote(t)};"));
        await ExecuteAsync(connection, sql, cancellationToken);
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private static string ReadDdl()
    {
        using var stream = typeof(ShopSchema).Assembly.GetManifestResourceStream(DdlResource)
            ?? throw new InvalidOperationException($"embedded resource {DdlResource} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
