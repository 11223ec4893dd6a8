using Npgsql;
using NpgsqlTypes;

namespace Recommender.Bench;

/// <summary>
/// Writes the planned rows with binary COPY, one table at a time, parents before children so the
/// DDL's foreign keys hold. Columns left out of a COPY take the DDL's defaults or NULL.
/// </summary>
internal static class ShopCopy
{
    // Enum values go over the wire as their label: NpgsqlDbType.Unknown lets the server pick the
    // column's own enum type, so nothing here depends on how the enum types are named.
    private const NpgsqlDbType Enum = NpgsqlDbType.Unknown;
    private const NpgsqlDbType TextArray = NpgsqlDbType.Array | NpgsqlDbType.Text;

    public static Task<ulong> ProductsAsync(NpgsqlConnection connection, IReadOnlyList<ShopProduct> products, CancellationToken ct) =>
        CopyAsync(connection, products, ct, """
            "Product" ("id", "name", "description", "price", "wholesalePrice", "minOrderQuantity", "availableQuantity",
                "images", "isDraft", "status", "stockStatus", "rating", "reviewCount", "dimensions", "material", "color",
                "discount", "deliveryCost", "sellerId", "categoryId", "createdAt", "updatedAt", "attributes", "thumbnail")
            """,
            static async (w, p, ct) =>
            {
                await w.WriteAsync(p.Id, NpgsqlDbType.Text, ct);
                await w.WriteAsync(p.Name, NpgsqlDbType.Text, ct);
                await w.WriteAsync(p.Description, NpgsqlDbType.Text, ct);
                await w.WriteAsync(p.Price, NpgsqlDbType.Double, ct);
                await w.WriteAsync(p.WholesalePrice, NpgsqlDbType.Double, ct);
                await w.WriteAsync(1, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(p.AvailableQuantity, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(p.Images, TextArray, ct);
                await w.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                await w.WriteAsync("ACTIVE", Enum, ct);
                await w.WriteAsync("IN_STOCK", Enum, ct);
                await w.WriteAsync(p.Rating, NpgsqlDbType.Double, ct);
                await w.WriteAsync(p.ReviewCount, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(p.DimensionsJson, NpgsqlDbType.Jsonb, ct);
                await w.WriteAsync(p.Material, NpgsqlDbType.Text, ct);
                await w.WriteAsync(p.Color, NpgsqlDbType.Text, ct);
                await w.WriteAsync(p.Discount, NpgsqlDbType.Double, ct);
                await w.WriteAsync(p.DeliveryCost, NpgsqlDbType.Double, ct);
                await w.WriteAsync(p.SellerId, NpgsqlDbType.Text, ct);
                await w.WriteAsync(p.CategoryId, NpgsqlDbType.Text, ct);
                await w.WriteAsync(p.CreatedAt, NpgsqlDbType.Timestamp, ct);
                await w.WriteAsync(p.CreatedAt, NpgsqlDbType.Timestamp, ct);
                await w.WriteAsync(p.AttributesJson, NpgsqlDbType.Jsonb, ct);
                await w.WriteAsync(p.Thumbnail, NpgsqlDbType.Text, ct);
            });

    public static Task<ulong> OrdersAsync(NpgsqlConnection connection, IReadOnlyList<OrderRow> rows, CancellationToken ct) =>
        CopyAsync(connection, rows, ct, """ "Order" ("id", "buyerId", "status", "createdAt", "updatedAt") """,
            static async (w, r, ct) =>
            {
                await w.WriteAsync(r.Id, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.BuyerId, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.Status == OrderStatus.Cancelled ? "CANCELLED" : "DELIVERED", Enum, ct);
                await w.WriteAsync(r.CreatedAt, NpgsqlDbType.Timestamp, ct);
                await w.WriteAsync(r.UpdatedAt, NpgsqlDbType.Timestamp, ct);
            });

    public static Task<ulong> OrderItemsAsync(NpgsqlConnection connection, IReadOnlyList<OrderItemRow> rows, CancellationToken ct) =>
        CopyAsync(connection, rows, ct, """ "OrderItem" ("id", "orderId", "productId", "quantity", "price", "createdAt") """,
            static async (w, r, ct) =>
            {
                await w.WriteAsync(r.Id, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.OrderId, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.ProductId, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.Quantity, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(r.Price, NpgsqlDbType.Double, ct);
                await w.WriteAsync(r.CreatedAt, NpgsqlDbType.Timestamp, ct);
            });

    public static Task<ulong> CartsAsync(NpgsqlConnection connection, IReadOnlyList<CartRow> rows, CancellationToken ct) =>
        CopyAsync(connection, rows, ct, """ "Cart" ("id", "buyerId", "createdAt", "updatedAt") """,
            static async (w, r, ct) =>
            {
                await w.WriteAsync(r.Id, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.BuyerId, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.CreatedAt, NpgsqlDbType.Timestamp, ct);
                await w.WriteAsync(r.UpdatedAt, NpgsqlDbType.Timestamp, ct);
            });

    public static Task<ulong> CartItemsAsync(NpgsqlConnection connection, IReadOnlyList<CartItemRow> rows, CancellationToken ct) =>
        CopyAsync(connection, rows, ct, """ "CartItem" ("id", "cartId", "productId", "quantity", "createdAt", "updatedAt") """,
            static async (w, r, ct) =>
            {
                await w.WriteAsync(r.Id, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.CartId, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.ProductId, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.Quantity, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(r.CreatedAt, NpgsqlDbType.Timestamp, ct);
                await w.WriteAsync(r.CreatedAt, NpgsqlDbType.Timestamp, ct);
            });

    public static Task<ulong> WishlistsAsync(NpgsqlConnection connection, IReadOnlyList<WishlistRow> rows, CancellationToken ct) =>
        CopyAsync(connection, rows, ct, """ "Wishlist" ("id", "buyerId", "createdAt", "updatedAt") """,
            static async (w, r, ct) =>
            {
                await w.WriteAsync(r.Id, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.BuyerId, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.CreatedAt, NpgsqlDbType.Timestamp, ct);
                await w.WriteAsync(r.UpdatedAt, NpgsqlDbType.Timestamp, ct);
            });

    public static Task<ulong> WishlistItemsAsync(NpgsqlConnection connection, IReadOnlyList<WishlistItemRow> rows, CancellationToken ct) =>
        CopyAsync(connection, rows, ct, """ "WishlistItem" ("id", "wishlistId", "productId", "createdAt") """,
            static async (w, r, ct) =>
            {
                await w.WriteAsync(r.Id, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.WishlistId, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.ProductId, NpgsqlDbType.Text, ct);
                await w.WriteAsync(r.CreatedAt, NpgsqlDbType.Timestamp, ct);
            });

    private static async Task<ulong> CopyAsync<T>(
        NpgsqlConnection connection, IReadOnlyList<T> rows, CancellationToken cancellationToken,
        string tableAndColumns, Func<NpgsqlBinaryImporter, T, CancellationToken, Task> writeRow)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {tableAndColumns.Trim()} FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            await writeRow(importer, row, cancellationToken);
        }
        return await importer.CompleteAsync(cancellationToken);
    }
}
