using Microsoft.Extensions.Options;
using Recommender.Api.Cluster;
using Recommender.Api.Experiments;
using Recommender.Api.Options;

namespace Recommender.Api.Outcomes;

/// <summary>The composition root of outcome attribution and A/B experiments.</summary>
public static class OutcomeServiceExtensions
{
    /// <summary>
    /// The experiment's assignment, the impression memory the list endpoints fill and the change
    /// path credits, and the daily roll-up: in the service's schema with <c>Cluster:Enabled</c>, else a
    /// file in the models directory.
    /// </summary>
    public static IServiceCollection AddOutcomes(this IServiceCollection services)
    {
        services.AddSingleton<ExperimentAssignment>();
        services.AddSingleton(sp => new ImpressionMemory(sp.GetRequiredService<IOptions<RecommenderOptions>>().Value.Attribution));
        services.AddSingleton<OutcomeTracker>();
        services.AddSingleton<IOutcomeRollupStore>(sp => sp.GetService<ServiceSchema>() is { } schema
            ? new PostgresOutcomeRollupStore(schema)
            : new FileOutcomeRollupStore(sp.GetRequiredService<IOptions<RecommenderOptions>>().Value.ModelsDirectory));
        services.AddSingleton<OutcomeRollup>();
        services.AddHostedService(sp => sp.GetRequiredService<OutcomeRollup>());
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ExperimentsJsonContext.Default));
        return services;
    }
}
