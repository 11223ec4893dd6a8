using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Recommender.Api.RealTime;
using Recommender.Tests.Infrastructure;
using static Recommender.Tests.Api.ChangeSourceContractTests;

namespace Recommender.Tests.Outcomes;

/// <summary>
/// Attribution end to end on a Prisma-style PostgreSQL shop, on the system clock, with both change
/// sources: each replica credits what it showed, with the order item's price × quantity, and a
/// cancelled order counts nothing.
/// </summary>
public sealed class PostgresAttributionTests
{
    private static readonly DateTime At = new(2025, 3, 22, 4, 18, 12, 293, DateTimeKind.Utc);

    [PostgresFact]
    public async Task Each_replica_credits_the_orders_of_what_it_showed_with_their_revenue_whichever_source_it_reads()
    {
        await using var shop = await PostgresTestDatabase.CreateAsync();
        for (var p = 1; p <= 6; p++) await shop.InsertProductAsync($"p{p}");
        for (var buyer = 0; buyer < 10; buyer++)
            await shop.InsertOrderAsync($"o{buyer}", $"b{buyer}", "DELIVERED", At, "p1", "p2", buyer % 2 == 0 ? "p3" : "p4");
        await using var replication = new TestReplication(shop);
        using var polling = Service(shop);
        polling.Settings["Recommender:RealTime:PollMilliseconds"] = "100";
        using var streaming = Service(shop);
        replication.Configure(streaming, "attribution");
        var pollingClient = await polling.CreateReadyClientAsync();
        var streamingClient = await streaming.CreateReadyClientAsync();
        var sources = new[] { polling, streaming };
        await EventuallyAsync(sources, () => streaming.Services.GetRequiredService<RealTimeUpdater>().Running == RealTimeSource.Replication);
        await EventuallyAsync(sources, () => Streaming(streaming) && CaughtUp(polling));

        var shownByPolling = await ShownAsync(pollingClient, "x");
        var shownByStreaming = await ShownAsync(streamingClient, "y");
        await OrderAsync(shop, "cancelled-y", "y", "CANCELLED", shownByStreaming[1], quantity: 5, price: 100);
        await OrderAsync(shop, "order-x", "x", "PENDING", shownByPolling[0], quantity: 2, price: 12.5);
        await OrderAsync(shop, "order-y", "y", "CONFIRMED", shownByStreaming[0], quantity: 1, price: 10);

        await EventuallyAsync(sources, async () =>
            Sum(await pollingClient.GetStringAsync("/metrics"), "recommender_attributed_revenue_total{") == 25 &&
            Sum(await streamingClient.GetStringAsync("/metrics"), "recommender_attributed_revenue_total{") == 10,
            () => "each replica to credit its own buyer's order");
        var pollingMetrics = await pollingClient.GetStringAsync("/metrics");
        var streamingMetrics = await streamingClient.GetStringAsync("/metrics");
        Assert.Equal(1, Sum(pollingMetrics, "recommender_attributed_total{"));
        Assert.Equal(1, Sum(streamingMetrics, "recommender_attributed_total{"));
        Assert.Contains("outcome=\"order\"", pollingMetrics, StringComparison.Ordinal);
    }

    private static async Task<string[]> ShownAsync(HttpClient client, string buyer)
    {
        var body = (await client.GetFromJsonAsync<JsonObject>($"/recommendations/{buyer}?top_k=3"))!;
        return [.. body["recommended_products"]!.AsArray().Select(p => p!["id"]!.GetValue<string>())];
    }

    private static Task OrderAsync(PostgresTestDatabase shop, string orderId, string buyerId, string status, string productId, int quantity, double price)
    {
        var now = DateTime.SpecifyKind(DateTime.UtcNow, DateTimeKind.Unspecified);
        // One statement: the order and its item commit together.
        return shop.ExecuteAsync(
            """
            WITH o AS (
                INSERT INTO "Order" ("id", "buyerId", "status", "createdAt", "updatedAt")
                VALUES (@orderId, @buyerId, @status::"OrderStatus", @now, @now) RETURNING "id")
            INSERT INTO "OrderItem" ("id", "orderId", "productId", "quantity", "price", "createdAt")
            SELECT o."id" || '-1', o."id", @productId, @quantity, @price, @now FROM o
            """,
            new { orderId, buyerId, status, productId, quantity, price, now });
    }

    /// <summary>The sum of every sample of the metric lines starting with <paramref name="prefix"/>.</summary>
    private static double Sum(string metrics, string prefix) =>
        metrics.Split('\n').Where(line => line.StartsWith(prefix, StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
