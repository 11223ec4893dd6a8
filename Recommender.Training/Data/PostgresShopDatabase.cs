using System.Data;
using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;

namespace Recommender.Training.Data;

/// <summary>
/// Reads the Prisma-generated tables of a PostgreSQL shop. Every read runs in one read-only,
/// repeatable-read transaction, so the three interaction sources are one consistent snapshot
/// and the service cannot write to the shop even by mistake.
/// </summary>
public sealed partial class PostgresShopDatabase(NpgsqlDataSource dataSource) : IShopDatabase
{
    // The status comparison goes through ::text so the query does not depend on the enum's name.
    private const string OrderItemsSql = """
        SELECT o."buyerId", oi."productId", oi."createdAt"
        FROM "OrderItem" oi
        JOIN "Order" o ON o."id" = oi."orderId"
        WHERE o."status"::text = ANY(@statuses)
        """;

    private const string CartItemsSql = """
        SELECT c."buyerId", ci."productId", ci."createdAt"
        FROM "CartItem" ci
        JOIN "Cart" c ON c."id" = ci."cartId"
        """;

    private const string WishlistItemsSql = """
        SELECT w."buyerId", wi."productId", wi."createdAt"
        FROM "WishlistItem" wi
        JOIN "Wishlist" w ON w."id" = wi."wishlistId"
        """;

    // row_to_json lets PostgreSQL itself turn every column, including ones added later, into
    // JSON of the right type: TEXT[] → array, JSONB → object, TIMESTAMP(3) → ISO-8601 string.
    private const string ProductsSql = """SELECT row_to_json(p)::text FROM "Product" p""";

    public async IAsyncEnumerable<ShopInteraction> ReadInteractionsAsync(
        IReadOnlyCollection<string> countedOrderStatuses,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginReadOnlyAsync(connection, cancellationToken);

        var sources = new (string Sql, InteractionKind Kind)[]
        {
            (OrderItemsSql, InteractionKind.Order),
            (CartItemsSql, InteractionKind.Cart),
            (WishlistItemsSql, InteractionKind.Wishlist),
        };
        foreach (var (sql, kind) in sources)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            if (kind == InteractionKind.Order)
                command.Parameters.Add(new NpgsqlParameter<string[]>("statuses", countedOrderStatuses.ToArray()));
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                yield return new ShopInteraction(
                    reader.GetString(0),
                    reader.GetString(1),
                    kind,
                    DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc));
            }
        }
    }

    public async IAsyncEnumerable<ProductRow> ReadProductsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginReadOnlyAsync(connection, cancellationToken);
        await using var command = new NpgsqlCommand(ProductsSql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return ProductRow.FromJson(Encoding.UTF8.GetBytes(reader.GetString(0)));
    }

    private static async Task<NpgsqlTransaction> BeginReadOnlyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction);
        await readOnly.ExecuteNonQueryAsync(cancellationToken);
        return transaction;
    }
}
