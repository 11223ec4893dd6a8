using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Quartz;
using Recommender.Tests.Fakes;
using Recommender.Tests.Infrastructure;

namespace Recommender.Tests.Api;

/// <summary>
/// A clustered replica whose database goes away: the path to PostgreSQL runs through a
/// <see cref="TcpProxy"/> the test cuts, so the shared server stays up for everyone else.
/// </summary>
public sealed class ClusterOutageTests
{
    private static readonly DateTime At = new(2025, 3, 22, 4, 18, 12, DateTimeKind.Utc);

    /// <summary>The host's own bound on shutdown (HostOptions.ShutdownTimeout's default), plus room for a loaded machine.</summary>
    private static readonly TimeSpan ShutdownBound = TimeSpan.FromSeconds(45);

    private static RecommenderApiFactory Replica(string connectionString, string serviceSchema, CapturingLoggerProvider? logs = null)
    {
        var factory = new RecommenderApiFactory(trainOnSchedule: true, inMemoryShop: false, realClock: true);
        factory.Settings["DATABASE_URL"] = connectionString;
        factory.Settings["Recommender:Cluster:Enabled"] = "true";
        factory.Settings["Recommender:Cluster:Schema"] = serviceSchema;
        factory.Settings["Recommender:Cluster:CheckinIntervalSeconds"] = "1";
        factory.Settings["Recommender:TrainingIntervalSeconds"] = "2";
        if (logs is not null) factory.TestServices = services => services.AddSingleton<ILoggerProvider>(logs);
        return factory;
    }

    private static async Task<PostgresTestDatabase> ShopAsync()
    {
        var shop = await PostgresTestDatabase.CreateAsync();
        for (var p = 1; p <= 4; p++)
            await shop.InsertProductAsync($"p{p}");
        for (var buyer = 0; buyer < 6; buyer++)
            await shop.InsertOrderAsync($"o{buyer}", $"b{buyer}", "DELIVERED", At, "p1", buyer % 2 == 0 ? "p2" : "p3");
        return shop;
    }

    private static string Through(TcpProxy proxy, PostgresTestDatabase shop) =>
        new NpgsqlConnectionStringBuilder(shop.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 }.ConnectionString;

    private static async Task WaitForClusteredScheduleAsync(RecommenderApiFactory replica)
    {
        var schedulers = replica.Services.GetRequiredService<ISchedulerFactory>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await schedulers.GetAllSchedulers()).Any(s => s.Status == SchedulerStatus.Running))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The clustered schedule did not start.");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// SIGTERM to a real process: only the process exiting shows that nothing (a Quartz retry
    /// loop, a task the host no longer waits for) keeps it alive after the host has stopped.
    /// </summary>
    [PostgresFact]
    public async Task SIGTERM_stops_a_clustered_replica_within_the_shutdown_timeout_while_the_database_is_down()
    {
        await using var shop = await ShopAsync();
        var serviceSchema = $"{shop.Schema}_service";
        var models = Directory.CreateTempSubdirectory("recommender-sigterm-").FullName;
        try
        {
            await using var proxy = new TcpProxy("127.0.0.1", new NpgsqlConnectionStringBuilder(shop.ConnectionString).Port);
            using var replica = ServiceProcess.Start(new Dictionary<string, string>
            {
                ["DATABASE_URL"] = Through(proxy, shop),
                ["Recommender__ModelsDirectory"] = models,
                ["Recommender__Cluster__Enabled"] = "true",
                ["Recommender__Cluster__Schema"] = serviceSchema,
                ["Recommender__Cluster__CheckinIntervalSeconds"] = "1",
                ["Recommender__TrainingIntervalSeconds"] = "1",
            });
            await replica.WaitForOutputAsync("Clustered training schedule started", TimeSpan.FromSeconds(60));
            // A training or two have fired: Quartz has a job's completion to record when the database goes.
            await Task.Delay(TimeSpan.FromSeconds(2));

            await proxy.CutAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
            replica.Terminate();

            var exited = await replica.WaitForExitAsync(ShutdownBound);
            Assert.True(exited,
                $"the replica was still running {ShutdownBound.TotalSeconds} s after SIGTERM; its last output:\n{replica.OutputTail()}");
        }
        finally
        {
            await PostgresTestDatabase.DropSchemaAsync(serviceSchema);
            Directory.Delete(models, recursive: true);
        }
    }

    [PostgresFact]
    public async Task An_outage_writes_one_warning_when_the_database_goes_and_one_with_the_failed_attempts_when_it_returns()
    {
        await using var shop = await ShopAsync();
        var serviceSchema = $"{shop.Schema}_service";
        try
        {
            await using var proxy = new TcpProxy("127.0.0.1", new NpgsqlConnectionStringBuilder(shop.ConnectionString).Port);
            var logs = new CapturingLoggerProvider();
            using var replica = Replica(Through(proxy, shop), serviceSchema, logs);
            await replica.CreateReadyClientAsync(TimeSpan.FromSeconds(60));
            await WaitForClusteredScheduleAsync(replica);
            // A fresh schema may log a gone/back pair at start-up (the model table did not exist
            // yet): let any such pair close before this outage is counted.
            int Count(int eventId) => logs.Entries.Count(e => e.EventId.Id == eventId);
            await Eventually.HoldsAsync(() => Count(5201) == Count(5202) && Count(5301) == Count(5302), "start-up outage warnings to settle");
            var before = logs.Entries.Count;

            await proxy.CutAsync();
            // Check-ins and polls every second: several failed attempts each.
            await Task.Delay(TimeSpan.FromSeconds(5));
            proxy.Restore();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!(Has(5302) && Has(5202)) && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            bool Has(int eventId) => logs.Entries.Skip(before).Any(e => e.EventId.Id == eventId);

            var outage = logs.Entries.Skip(before).ToList();
            foreach (var (gone, back) in new[] { (5301, 5302), (5201, 5202) })
            {
                Assert.Single(outage, e => e.EventId.Id == gone && e.Level == LogLevel.Warning);
                var returned = Assert.Single(outage, e => e.EventId.Id == back && e.Level == LogLevel.Warning);
                Assert.Matches(@"after ([2-9]|\d\d+) failed", returned.Message);
            }
            Assert.DoesNotContain(outage, e => e.Category.StartsWith("Quartz", StringComparison.Ordinal) && e.Level >= LogLevel.Warning);
        }
        finally
        {
            await PostgresTestDatabase.DropSchemaAsync(serviceSchema);
        }
    }
}
