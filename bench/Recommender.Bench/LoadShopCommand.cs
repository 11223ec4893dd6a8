using System.Diagnostics;
using Npgsql;
using Recommender.Training.Data;

namespace Recommender.Bench;

/// <summary>
/// <c>load-shop</c>: reads an Amazon dataset, invents the shop activity behind it (<see cref="ShopPlan"/>)
/// and loads it into a fresh shop schema in one transaction, so a failed load leaves nothing behind.
/// </summary>
internal static class LoadShopCommand
{
    public static async Task<int> RunAsync(LoadShopOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        NpgsqlConnectionStringBuilder target;
        try
        {
            target = new NpgsqlConnectionStringBuilder(ShopConnectionString.ToNpgsql(options.DatabaseUrl));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            Console.Error.WriteLine($"invalid --database-url: {e.Message}");
            return 2;
        }
        var schema = options.Schema ?? target.SearchPath?.Split(',')[0].Trim() ?? "public";
        if (schema.Length == 0) schema = "public";
        target.SearchPath = null;              // the schema is set explicitly once it exists

        var step = Stopwatch.StartNew();
        var users = AmazonDataset.Read(options.DatasetPath);
        var interactionCounts = users.SelectMany(u => u.Items).CountBy(item => item).ToDictionary();
        var products = ProductCatalog.Build(interactionCounts, options.Seed);
        var plan = ShopPlan.Build(users, products.ToDictionary(p => p.Id, p => p.Price), options.Seed);
        log.WriteLine($"dataset {Path.GetFileName(options.DatasetPath)}: {users.Count:N0} users, {products.Count:N0} items, " +
                      $"{users.Sum(u => u.Items.Length):N0} interactions; planned in {step.Elapsed.TotalSeconds:F2} s");

        try
        {
            if (await ShopSchema.EnsureDatabaseAsync(target, cancellationToken))
                log.WriteLine($"created database {target.Database}");

            await using var dataSource = NpgsqlDataSource.Create(target);
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                step.Restart();
                var foreignKeys = await ShopSchema.CreateAsync(connection, schema, options.Drop, cancellationToken);
                log.WriteLine($"schema \"{schema}\" {(options.Drop ? "dropped and recreated" : "created")} in {step.Elapsed.TotalSeconds:F2} s");

                await CopyAsync("Product", () => ShopCopy.ProductsAsync(connection, products, cancellationToken));
                await CopyAsync("Order", () => ShopCopy.OrdersAsync(connection, plan.Orders, cancellationToken));
                await CopyAsync("OrderItem", () => ShopCopy.OrderItemsAsync(connection, plan.OrderItems, cancellationToken));
                await CopyAsync("Cart", () => ShopCopy.CartsAsync(connection, plan.Carts, cancellationToken));
                await CopyAsync("CartItem", () => ShopCopy.CartItemsAsync(connection, plan.CartItems, cancellationToken));
                await CopyAsync("Wishlist", () => ShopCopy.WishlistsAsync(connection, plan.Wishlists, cancellationToken));
                await CopyAsync("WishlistItem", () => ShopCopy.WishlistItemsAsync(connection, plan.WishlistItems, cancellationToken));

                step.Restart();
                await using (var addForeignKeys = new NpgsqlCommand(foreignKeys, connection))
                    await addForeignKeys.ExecuteNonQueryAsync(cancellationToken);
                log.WriteLine($"  {"foreign keys",-13} {"",9} {step.Elapsed.TotalSeconds,7:F2} s");

                step.Restart();
                await transaction.CommitAsync(cancellationToken);
                log.WriteLine($"  {"commit",-13} {"",9} {step.Elapsed.TotalSeconds,7:F2} s");
            }

            step.Restart();
            await ShopSchema.AnalyzeAsync(connection, schema, cancellationToken);
            log.WriteLine($"  {"analyze",-13} {"",9} {step.Elapsed.TotalSeconds,7:F2} s");
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            Console.Error.WriteLine($"load-shop failed: {e.Message}");
            return 1;
        }

        var cancelled = plan.Orders.Count(o => o.Status == OrderStatus.Cancelled);
        log.WriteLine($"loaded into {target.Database}.\"{schema}\" in {total.Elapsed.TotalSeconds:F2} s " +
                      $"({cancelled:N0} of {plan.Orders.Count:N0} orders CANCELLED)");
        return 0;

        async Task CopyAsync(string table, Func<Task<ulong>> copy)
        {
            var watch = Stopwatch.StartNew();
            var rows = await copy();
            log.WriteLine($"  {table,-13} {rows,9:N0} {watch.Elapsed.TotalSeconds,7:F2} s");
        }
    }
}
