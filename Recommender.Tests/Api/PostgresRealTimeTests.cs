using Microsoft.Extensions.DependencyInjection;
using Recommender.Api.Scheduling;
using Recommender.Tests.Infrastructure;
using static Recommender.Tests.Api.ChangeSourceContractTests;

namespace Recommender.Tests.Api;

/// <summary>
/// The real-time path end to end over a Prisma-style PostgreSQL shop, on the system clock: rows
/// inserted and deleted by "the shop" change the answers. How soon is not asserted here, where the
/// machine's load would decide it; <see cref="RealTimeTests"/> holds the 2 s bound on the service's
/// clock, and the README gives the latency measured on a quiet machine.
/// </summary>
public sealed class PostgresRealTimeTests
{
    private static readonly DateTime At = new(2025, 3, 22, 4, 18, 12, 293, DateTimeKind.Utc);

    [PostgresFact]
    public async Task On_a_postgres_shop_a_cart_insert_and_delete_change_the_answer()
    {
        await using var shop = await PostgresTestDatabase.CreateAsync();
        for (var p = 1; p <= 6; p++) await shop.InsertProductAsync($"p{p}");
        for (var buyer = 0; buyer < 12; buyer++)
        {
            await shop.InsertOrderAsync($"o{buyer}", $"b{buyer}", "DELIVERED", At, "p1", "p2", buyer % 2 == 0 ? "p5" : "p6");
            await shop.AddToCartAsync($"b{buyer}", buyer % 2 == 0 ? "p3" : "p4", At);
        }

        using var factory = new RecommenderApiFactory(trainOnSchedule: true, inMemoryShop: false, realClock: true);
        factory.Settings["DATABASE_URL"] = shop.ConnectionString;
        factory.Settings["Recommender:Training:Algorithm"] = "itemknn";
        factory.Settings["Recommender:Training:HoldoutEvaluation"] = "false";
        // A quarter of the default poll, to keep the test short.
        factory.Settings["Recommender:RealTime:PollMilliseconds"] = "250";
        var client = await factory.CreateReadyClientAsync();
        await EventuallyAsync([factory], () => CaughtUp(factory));
        Assert.Contains("p4", (await RealTimeTests.GetAsync(client, "b0")).Ids);

        var item = await shop.AddToCartAsync("b0", "p4", DateTime.UtcNow);
        await WaitForAsync(client, "b0", answer => !answer.Ids.Contains("p4"), "the cart insert to take p4 out");

        await shop.ExecuteAsync("""DELETE FROM "CartItem" WHERE "id" = @item""", new { item });
        await WaitForAsync(client, "b0", answer => answer.Ids.Contains("p4"), "the cart delete to bring p4 back");

        // An item the model was trained on, deleted: nothing about it is newer than the model.
        await shop.ExecuteAsync("""DELETE FROM "CartItem" WHERE "cartId" = 'cart-b0'""");
        await WaitForAsync(client, "b0", answer => answer.Ids.Contains("p3"), "the delete of a trained item to bring p3 back");

        await shop.InsertOrderAsync("new-order", "newcomer", "PENDING", DateTime.UtcNow, "p1", "p5", "p3");
        await WaitForAsync(client, "newcomer", answer => answer.Source.StartsWith("personalized", StringComparison.Ordinal),
            "a new buyer's order to personalize the answer");
    }

    [PostgresFact]
    public async Task A_held_buyer_is_read_again_from_the_shop_when_the_next_model_serves()
    {
        await using var shop = await PostgresTestDatabase.CreateAsync();
        await SeedAsync(shop);
        using var service = Service(shop);
        service.Settings["Recommender:RealTime:PollMilliseconds"] = "100";
        await service.CreateReadyClientAsync();
        await EventuallyAsync([service], () => CaughtUp(service));
        await shop.AddToCartAsync("b1", "p5", DateTime.UtcNow);
        await EventuallyAsync([service], () => Live(service).Snapshot().ContainsKey("b1"));

        // A deleted order leaves no time to find, so the poller does not see it: the held state is stale.
        await shop.ExecuteAsync("""DELETE FROM "Order" WHERE "id" = 'o1'""");
        await shop.AddToCartAsync("b2", "p6", DateTime.UtcNow);
        await EventuallyAsync([service], () => Live(service).Snapshot().ContainsKey("b2"));
        Assert.Contains(Live(service).Snapshot()["b1"], row => row.Kind == Recommender.Training.Data.InteractionKind.Order);

        // The next model has both changes: the held buyers are re-read, equal it, and are dropped.
        Assert.Equal(TrainingOutcome.Published, await service.Services.GetRequiredService<ModelTrainingService>().TrainAsync(CancellationToken.None));
        await EventuallyAsync([service], () => Live(service).Snapshot().Count == 0, "the held buyers re-read");
    }

    private static Task<(string Source, string[] Ids, float[] Scores)> WaitForAsync(HttpClient client, string buyer, Func<(string Source, string[] Ids, float[] Scores), bool> done, string what) =>
        Eventually.ReturnsAsync(() => RealTimeTests.GetAsync(client, buyer), done, what);
}
