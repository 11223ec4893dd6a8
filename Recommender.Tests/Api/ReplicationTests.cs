using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Recommender.Api.RealTime;
using Recommender.Api.RealTime.Replication;
using Recommender.Tests.Infrastructure;
using Recommender.Training.Data;
using static Recommender.Tests.Api.ChangeSourceContractTests;

namespace Recommender.Tests.Api;

/// <summary>
/// Logical replication against a real PostgreSQL: the slot is named from the replica, resumed
/// after a restart, acknowledged only after a change is applied, measured, and dropped by a live
/// replica when its own replica has been gone longer than the setting. And the start-up read
/// (both sources) finds what was deleted while no replica ran.
/// </summary>
public sealed class ReplicationTests
{
    [PostgresFact]
    public async Task A_restarted_replica_resumes_its_own_slot()
    {
        await using var shop = await PostgresTestDatabase.CreateAsync();
        await SeedAsync(shop);
        await using var replication = new TestReplication(shop);
        var models = Directory.CreateTempSubdirectory("recommender-models-").FullName;
        try
        {
            NpgsqlTypes.NpgsqlLogSequenceNumber confirmed;
            using (var first = new RecommenderApiFactory(trainOnSchedule: true, inMemoryShop: false, modelsDirectory: models, realClock: true))
            {
                Configure(first, shop, replication, "replica-a");
                await first.CreateReadyClientAsync();
                await EventuallyAsync([first], () => Streaming(first));
                await shop.AddToCartAsync("b1", "p5", DateTime.UtcNow);
                await EventuallyAsync([first], () => Live(first).Snapshot().ContainsKey("b1"));
                confirmed = (await replication.SlotsAsync())[0].Confirmed;
            }

            using var again = new RecommenderApiFactory(trainOnSchedule: false, inMemoryShop: false, modelsDirectory: models, realClock: true);
            Configure(again, shop, replication, "replica-a");
            again.Settings["Recommender:RealTime:Enabled"] = "true";
            await again.CreateReadyClientAsync();
            await EventuallyAsync([again], () => Streaming(again));
            await shop.AddToCartAsync("b2", "p6", DateTime.UtcNow);
            await EventuallyAsync([again], () => Live(again).Snapshot().ContainsKey("b2"));

            var slots = await replication.SlotsAsync();
            Assert.Equal(replication.SlotOf("replica_a"), Assert.Single(slots).Name);
            Assert.True(slots[0].Confirmed >= confirmed);
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    [PostgresTheory]
    [InlineData("poll")]
    [InlineData("replication")]
    public async Task A_replica_started_on_an_older_model_finds_what_was_deleted_since(string source)
    {
        await using var shop = await PostgresTestDatabase.CreateAsync();
        await SeedAsync(shop);
        await using var replication = new TestReplication(shop);
        var models = Directory.CreateTempSubdirectory("recommender-models-").FullName;
        try
        {
            using (var trainer = new RecommenderApiFactory(trainOnSchedule: true, inMemoryShop: false, modelsDirectory: models, realClock: true))
            {
                trainer.Settings["DATABASE_URL"] = shop.ConnectionString;
                trainer.Settings["Recommender:RealTime:Enabled"] = "false";
                await trainer.CreateReadyClientAsync();
            }
            // Deleted while no replica runs: no row is left to find by time.
            await shop.ExecuteAsync("""DELETE FROM "CartItem" WHERE "cartId" = 'cart-b3'""");
            await shop.ExecuteAsync("""DELETE FROM "Wishlist" WHERE "id" = 'wishlist-b4'""");
            await shop.ExecuteAsync("""DELETE FROM "Order" WHERE "id" = 'o5'""");

            using var serving = new RecommenderApiFactory(trainOnSchedule: false, inMemoryShop: false, modelsDirectory: models, realClock: true);
            serving.Settings["DATABASE_URL"] = shop.ConnectionString;
            serving.Settings["Recommender:RealTime:Enabled"] = "true";
            if (source == "replication") replication.Configure(serving, "late");
            await serving.CreateReadyClientAsync();
            await EventuallyAsync([serving], () => CaughtUp(serving));

            await EventuallyAsync([serving], () => Live(serving).Snapshot().Keys.Order().SequenceEqual(["b3", "b4", "b5"]));
            foreach (var buyer in new[] { "b3", "b4", "b5" })
                Assert.Equal(await CurrentRowsAsync(shop, buyer), Live(serving).Snapshot()[buyer]);
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    [PostgresFact]
    public async Task A_change_is_acknowledged_to_the_slot_only_after_it_is_applied()
    {
        await using var shop = await PostgresTestDatabase.CreateAsync();
        await SeedAsync(shop);
        await using var replication = new TestReplication(shop);
        var reads = new BuyerReadsThatCanFail(new PostgresShopDatabase(NpgsqlDataSource.Create(shop.ConnectionString)));
        using var service = Service(shop);
        replication.Configure(service, "acks");
        service.TestServices = services =>
        {
            services.RemoveAll<IShopDatabase>();
            services.AddSingleton<IShopDatabase>(reads);
        };
        await service.CreateReadyClientAsync();
        await EventuallyAsync([service], () => Streaming(service));

        reads.Failing = true;
        await shop.AddToCartAsync("b1", "p5", DateTime.UtcNow);
        var changed = NpgsqlTypes.NpgsqlLogSequenceNumber.Parse(await shop.QuerySingleAsync<string>("SELECT pg_current_wal_lsn()::text"));
        await EventuallyAsync([service], () => reads.Failures >= 2);
        var slot = (await replication.SlotsAsync())[0];
        Assert.True(slot.Confirmed < changed, $"acknowledged before it was applied: {slot.Confirmed} >= {changed}, {reads.Failures} failures");
        Assert.False(Live(service).Snapshot().ContainsKey("b1"));

        reads.Failing = false;
        await EventuallyAsync([service], () => Live(service).Snapshot().ContainsKey("b1"), "the change applied once the shop reads again");
        await EventuallyAsync([service], async () => (await replication.SlotsAsync())[0].Confirmed >= changed, "the change acknowledged");
    }

    [PostgresFact]
    public async Task A_slot_unused_for_longer_than_the_setting_is_dropped_by_a_live_replica_and_the_lag_is_a_metric()
    {
        await using var shop = await PostgresTestDatabase.CreateAsync();
        await SeedAsync(shop);
        await using var replication = new TestReplication(shop);
        using var service = Service(shop);
        replication.Configure(service, "live");
        service.Settings["Recommender:RealTime:AbandonedSlotMinutes"] = "30";
        var client = await service.CreateReadyClientAsync();
        await EventuallyAsync([service], () => Streaming(service));
        await shop.ExecuteAsync($"SELECT pg_create_logical_replication_slot('{replication.SlotOf("gone")}', 'pgoutput')");

        var feed = service.Services.GetRequiredService<ReplicationChangeFeed>();
        var seen = DateTimeOffset.UtcNow;
        await feed.DropAbandonedSlotsAsync(seen, CancellationToken.None);
        await feed.DropAbandonedSlotsAsync(seen + TimeSpan.FromMinutes(29), CancellationToken.None);
        Assert.Equal([replication.SlotOf("gone"), replication.SlotOf("live")], (await replication.SlotsAsync()).Select(s => s.Name));

        await feed.DropAbandonedSlotsAsync(seen + TimeSpan.FromMinutes(30), CancellationToken.None);
        Assert.Equal([replication.SlotOf("live")], (await replication.SlotsAsync()).Select(s => s.Name));

        var metrics = await client.GetStringAsync("/metrics");
        Assert.Matches(@"(?m)^recommender_realtime_replication_lag_bytes \d+", metrics);
    }

    [PostgresFact]
    public async Task A_replica_that_cannot_start_replication_polls_and_drops_the_slot_it_made()
    {
        await using var shop = await PostgresTestDatabase.CreateAsync();
        await SeedAsync(shop);
        await using var replication = new TestReplication(shop);
        // The training reads the interactions; the replication's start-up read, the next one, fails.
        var reads = new BuyerReadsThatCanFail(new PostgresShopDatabase(NpgsqlDataSource.Create(shop.ConnectionString))) { FailInteractionReadsAfter = 1 };
        using var service = Service(shop);
        replication.Configure(service, "fails");
        service.TestServices = services =>
        {
            services.RemoveAll<IShopDatabase>();
            services.AddSingleton<IShopDatabase>(reads);
        };
        await service.CreateReadyClientAsync();

        await EventuallyAsync([service], () => service.Services.GetRequiredService<RealTimeUpdater>().Running == RealTimeSource.Poll);
        Assert.Empty(await replication.SlotsAsync());
    }

    [Fact]
    public async Task Replication_on_a_shop_that_is_not_postgres_falls_back_to_polling()
    {
        using var service = new RecommenderApiFactory(trainOnSchedule: true, realClock: true);
        service.Shop.AddProduct("p1").AddProduct("p2").Add("b0", "p1").Add("b1", "p1").Add("b1", "p2");
        service.Settings["Recommender:RealTime:Source"] = "replication";
        service.Settings["Recommender:RealTime:PollMilliseconds"] = "100";
        await service.CreateReadyClientAsync();

        service.Shop.Add("b0", "p2", InteractionKind.Cart);
        await EventuallyAsync([service], () => Live(service).Snapshot().ContainsKey("b0"));
        Assert.Equal(RealTimeSource.Poll, service.Services.GetRequiredService<RealTimeUpdater>().Running);
    }

    private static void Configure(RecommenderApiFactory factory, PostgresTestDatabase shop, TestReplication replication, string instance)
    {
        factory.Settings["Recommender:Training:Algorithm"] = "itemknn";
        factory.Settings["Recommender:Training:HoldoutEvaluation"] = "false";
        replication.Configure(factory, instance);
    }

    /// <summary>The shop, except that re-reading named buyers fails while <see cref="Failing"/> is set.</summary>
    private sealed class BuyerReadsThatCanFail(IShopDatabase shop) : IShopDatabase
    {
        private int _failures;
        private int _interactionReads;
        private volatile bool _failing;

        /// <summary>Reads of all interactions after this many fail.</summary>
        public int FailInteractionReadsAfter { get; init; } = int.MaxValue;

        public bool Failing { get => _failing; set => _failing = value; }

        public int Failures => Volatile.Read(ref _failures);

        public IAsyncEnumerable<ShopInteraction> ReadInteractionsAsync(IReadOnlyCollection<string> countedOrderStatuses, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _interactionReads) > FailInteractionReadsAfter
                ? throw new NpgsqlException("The shop cannot be read (test)")
                : shop.ReadInteractionsAsync(countedOrderStatuses, cancellationToken);

        public IAsyncEnumerable<ProductRow> ReadProductsAsync(CancellationToken cancellationToken) => shop.ReadProductsAsync(cancellationToken);

        public Task<ShopChanges> ReadChangesAsync(ShopChangeCursor cursor, IReadOnlyCollection<string> countedOrderStatuses, CancellationToken cancellationToken) =>
            shop.ReadChangesAsync(cursor, countedOrderStatuses, cancellationToken);

        public Task<IReadOnlyList<ShopInteraction>> ReadBuyersAsync(
            IReadOnlyCollection<string> buyers, IReadOnlyCollection<string> countedOrderStatuses, CancellationToken cancellationToken)
        {
            if (!Failing) return shop.ReadBuyersAsync(buyers, countedOrderStatuses, cancellationToken);
            Interlocked.Increment(ref _failures);
            throw new NpgsqlException("The shop cannot be read (test)");
        }
    }
}
