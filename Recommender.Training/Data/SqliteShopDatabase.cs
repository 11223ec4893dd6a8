using System.Data;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Recommender.Training.Data;

/// <summary>
/// Reads a shop kept in SQLite with the same tables and columns as the Prisma schema: the
/// embedded demo shop. SQLite has no array, JSON or enum types, so the columns declare the
/// PostgreSQL type names and hold JSON text; the declared type decides each value's JSON type.
/// </summary>
public sealed partial class SqliteShopDatabase(string databasePath) : IShopDatabase
{
    private const string CartItemsSql = """
        SELECT c."buyerId", ci."productId", ci."createdAt"
        FROM "CartItem" ci JOIN "Cart" c ON c."id" = ci."cartId"
        """;

    private const string WishlistItemsSql = """
        SELECT w."buyerId", wi."productId", wi."createdAt"
        FROM "WishlistItem" wi JOIN "Wishlist" w ON w."id" = wi."wishlistId"
        """;

    private string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadOnly,
    }.ToString();

    public async IAsyncEnumerable<ShopInteraction> ReadInteractionsAsync(
        IReadOnlyCollection<string> countedOrderStatuses,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);

        var statusNames = countedOrderStatuses.Select((_, i) => $"@s{i}").ToArray();
        var orderItemsSql = $"""
            SELECT o."buyerId", oi."productId", oi."createdAt"
            FROM "OrderItem" oi JOIN "Order" o ON o."id" = oi."orderId"
            WHERE o."status" IN ({(statusNames.Length == 0 ? "NULL" : string.Join(", ", statusNames))})
            """;

        var sources = new (string Sql, InteractionKind Kind)[]
        {
            (orderItemsSql, InteractionKind.Order),
            (CartItemsSql, InteractionKind.Cart),
            (WishlistItemsSql, InteractionKind.Wishlist),
        };
        foreach (var (sql, kind) in sources)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            if (kind == InteractionKind.Order)
            {
                var i = 0;
                foreach (var status in countedOrderStatuses)
                    command.Parameters.AddWithValue(statusNames[i++], status);
            }
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                yield return new ShopInteraction(reader.GetString(0), reader.GetString(1), kind, ParseTimestamp(reader.GetString(2)));
        }
    }

    public async IAsyncEnumerable<ProductRow> ReadProductsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """SELECT * FROM "Product" """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var declaredTypes = Enumerable.Range(0, reader.FieldCount).Select(reader.GetDataTypeName).ToArray();
        var buffer = new MemoryStream();
        while (await reader.ReadAsync(cancellationToken))
        {
            buffer.SetLength(0);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                for (var c = 0; c < reader.FieldCount; c++)
                {
                    writer.WritePropertyName(reader.GetName(c));
                    WriteValue(writer, reader, c, declaredTypes[c]);
                }
                writer.WriteEndObject();
            }
            yield return ProductRow.FromJson(buffer.ToArray());
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, SqliteDataReader reader, int column, string declaredType)
    {
        if (reader.IsDBNull(column))
        {
            writer.WriteNullValue();
            return;
        }
        var type = declaredType.ToUpperInvariant();
        if (type.EndsWith("[]", StringComparison.Ordinal) || type is "JSONB" or "JSON")
            writer.WriteRawValue(reader.GetString(column));          // stored as JSON text; validated here
        else if (type is "BOOLEAN" or "BOOL")
            writer.WriteBooleanValue(reader.GetInt64(column) != 0);
        else if (type is "INTEGER" or "INT" or "BIGINT" or "SMALLINT")
            writer.WriteNumberValue(reader.GetInt64(column));
        else if (type is "DOUBLE PRECISION" or "REAL" or "FLOAT" or "NUMERIC" or "DECIMAL")
            writer.WriteNumberValue(reader.GetDouble(column));
        else
            writer.WriteStringValue(reader.GetString(column));
    }

    internal static DateTime ParseTimestamp(string text) =>
        DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
