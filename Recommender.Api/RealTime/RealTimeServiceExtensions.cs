using Microsoft.Extensions.Options;
using Npgsql;
using Recommender.Api.Options;
using Recommender.Api.RealTime.Replication;
using Recommender.Api.Serving;
using Recommender.Api.Shop;

namespace Recommender.Api.RealTime;

public static class RealTimeServiceExtensions
{
    /// <summary>
    /// Real-time updates of buyers' histories: <see cref="LiveHistories"/> read by the request path,
    /// kept current by <see cref="RealTimeUpdater"/> from the poller or logical replication. Settings
    /// are read through <see cref="IOptions{TOptions}"/> when the services are built; with
    /// <c>RealTime:Enabled=false</c> answers follow the model alone and nothing is read.
    /// </summary>
    public static IServiceCollection AddRealTime(this IServiceCollection services)
    {
        services.AddSingleton<LiveHistories>();
        services.AddSingleton<ILiveHistories>(sp => sp.GetRequiredService<IOptions<RecommenderOptions>>().Value.RealTime.Enabled
            ? sp.GetRequiredService<LiveHistories>()
            : new NoLiveHistories());
        services.AddSingleton<LiveHistoryUpdates>();
        services.AddSingleton<LiveHistoryPoller>();
        services.AddSingleton(sp => CreateReplicationFeed(sp)!);
        services.AddSingleton<RealTimeUpdater>();
        services.AddHostedService(sp => sp.GetRequiredService<RealTimeUpdater>());
        return services;
    }

    /// <summary>The replication source for a PostgreSQL shop with <c>RealTime:Source=replication</c>; null otherwise (the poller serves).</summary>
    private static ReplicationChangeFeed? CreateReplicationFeed(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<RecommenderOptions>>();
        var settings = options.Value;
        if (settings.RealTime.Source != RealTimeSource.Replication
            || services.GetRequiredService<ShopSource>().NpgsqlConnectionString is not { } connectionString)
            return null;
        var dataSource = new NpgsqlDataSourceBuilder(connectionString) { Name = "recommender-replication-setup" }.Build();
        // The slot outlives the process: name it from the configured instance id, or the host
        // (stable across restarts), so a restarted replica resumes its own slot.
        var instance = string.IsNullOrWhiteSpace(settings.Cluster.InstanceId) ? Environment.MachineName : settings.Cluster.InstanceId;
        var setup = new ReplicationSetup(dataSource, settings.RealTime.Publication,
            ReplicationSetup.SlotNameFor(settings.RealTime.SlotPrefix, instance), settings.RealTime.SlotPrefix);
        return ActivatorUtilities.CreateInstance<ReplicationChangeFeed>(services, connectionString, setup, dataSource);
    }
}
