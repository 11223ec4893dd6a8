using Prometheus;
using Quartz;
using Recommender.Api.Observability;
using Recommender.Api.Scheduling;

namespace Recommender.Api.Extensions;

/// <summary>Prometheus metrics at <c>/metrics</c> and the start-up summary log.</summary>
public static class ObservabilityExtensions
{
    public static void AddObservability(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ServingStats>();
        services.AddSingleton<RecommenderMetrics>();
        services.AddSingleton<TrainingMetricsListener>();
        services.AddQuartz(quartz => quartz.AddJobListener<TrainingMetricsListener>(
            sp => sp.GetRequiredService<TrainingMetricsListener>(), Matchers.Key(TrainingJob.Key)));
        services.AddHostedService<StartupSummary>();
    }

    /// <summary>
    /// Counts and times every request by route template (<c>/recommendations/{buyer_id}</c>, never
    /// the buyer id itself) and status code, for Prometheus and for the dashboard's
    /// <see cref="ServingStats"/>. Goes before the protections so 401s and 429s count too.
    /// </summary>
    public static void UseRequestMetrics(this WebApplication app)
    {
        app.UseMiddleware<ServingStatsMiddleware>();
        var registry = app.Services.GetRequiredService<RecommenderMetrics>().Registry;
        app.UseHttpMetrics(options => options.ConfigureMeasurements(measurement => measurement.Registry = registry));
    }

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        var registry = app.ServiceProvider.GetRequiredService<RecommenderMetrics>().Registry;
        app.MapMetrics("/metrics", registry)
            .WithName("Metrics")
            .WithSummary("Prometheus metrics of this instance")
            .WithTags("Operations");
        return app;
    }
}
