using Microsoft.Extensions.Options;
using Recommender.Api.Options;
using Recommender.Api.Serving;

namespace Recommender.Api.Dashboard;

/// <summary>
/// Records each model in <see cref="TrainingHistory"/> as it comes to serve, so the history keeps
/// models that are pruned before anyone opens the dashboard. The kept zips are read once at
/// start-up; after that only the serving model's manifest, already in memory, is looked at every
/// <c>ModelPollSeconds</c> (the model reloader is what lists the directory).
/// </summary>
public sealed class TrainingHistoryRecorder(
    TrainingHistory history,
    ServingState state,
    TimeProvider clock,
    IOptions<RecommenderOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();                                 // host start-up does not wait for the first read
        history.Refresh(state.Model?.Manifest);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ModelPollSeconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (state.Model?.Manifest is { } serving) history.Record(serving);
        }
    }
}
