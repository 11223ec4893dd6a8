using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Recommender.Api.Cluster;
using Recommender.Api.Options;
using Recommender.Api.Outcomes;
using Recommender.Tests.Infrastructure;

namespace Recommender.Tests.Outcomes;

/// <summary>The daily roll-up adds each instance's increments, in a file or in the service's schema, so replicas and restarts sum up.</summary>
public sealed class OutcomeRollupTests
{
    private static Dictionary<(int Day, string Variant), DayTally> Increment(long impressions, long orders, double revenue) =>
        new() { [(20_000, "a")] = new DayTally { Units = 1, Impressions = impressions, Orders = orders, Revenue = revenue } };

    [Fact]
    public async Task The_file_roll_up_adds_increments_and_keeps_experiments_apart()
    {
        var directory = Directory.CreateTempSubdirectory("rollup-").FullName;
        try
        {
            var store = new FileOutcomeRollupStore(directory);
            await store.AddAsync("x#1", Increment(3, 1, 10), CancellationToken.None);
            await store.AddAsync("x#1", Increment(2, 0, 0), CancellationToken.None);
            await store.AddAsync("x#2", Increment(7, 0, 0), CancellationToken.None);

            var restarted = await new FileOutcomeRollupStore(directory).ReadAsync("x#1", CancellationToken.None);

            var day = Assert.Single(restarted).Value;
            Assert.Equal((5L, 1L, 10.0, 2L), (day.Impressions, day.Orders, day.Revenue, day.Units));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_failed_roll_up_keeps_its_counts_for_the_next_try()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new RecommenderOptions());
        var memory = new ImpressionMemory(options.Value.Attribution);
        var store = new FailingOnceStore();
        var rollup = new OutcomeRollup(memory, store, new FakeTimeProvider(), options, NullLogger<OutcomeRollup>.Instance);
        memory.Remember("b1", "recommendations", "default", ["p1"], ["popular"], DateTimeOffset.UtcNow);

        await rollup.FlushAsync(CancellationToken.None);    // fails: kept
        await rollup.FlushAsync(CancellationToken.None);

        Assert.Equal(1, Assert.Single(store.Added).Value.Impressions);
    }

    [PostgresFact]
    public async Task Replicas_add_their_counts_to_the_same_rows_of_the_service_schema()
    {
        await using var shop = await PostgresTestDatabase.CreateAsync();
        var schema = new ServiceSchema(shop.DataSource, $"{shop.Schema}_service");
        try
        {
            var replica1 = new PostgresOutcomeRollupStore(schema);
            var replica2 = new PostgresOutcomeRollupStore(schema);
            await Task.WhenAll(
                replica1.AddAsync("x#1", Increment(3, 1, 12.5), CancellationToken.None),
                replica2.AddAsync("x#1", Increment(4, 2, 7.5), CancellationToken.None));

            var day = Assert.Single(await replica1.ReadAsync("x#1", CancellationToken.None));

            Assert.Equal((20_000, "a"), day.Key);
            Assert.Equal((7L, 3L, 20.0, 2L), (day.Value.Impressions, day.Value.Orders, day.Value.Revenue, day.Value.Units));
            Assert.Empty(await replica2.ReadAsync("x#2", CancellationToken.None));
        }
        finally
        {
            await PostgresTestDatabase.DropSchemaAsync(schema.Name);
        }
    }

    private sealed class FailingOnceStore : IOutcomeRollupStore
    {
        private bool _failed;
        public Dictionary<(int Day, string Variant), DayTally> Added { get; } = [];

        public Task AddAsync(string experiment, IReadOnlyDictionary<(int Day, string Variant), DayTally> increments, CancellationToken cancellationToken)
        {
            if (!_failed)
            {
                _failed = true;
                throw new IOException("disk full");
            }
            foreach (var (key, tally) in increments) Added[key] = tally;
            return Task.CompletedTask;
        }

        public Task<IReadOnlyDictionary<(int Day, string Variant), DayTally>> ReadAsync(string experiment, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<(int Day, string Variant), DayTally>>(Added);
    }
}
