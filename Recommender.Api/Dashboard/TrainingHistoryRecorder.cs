using Microsoft.Extensions.Options;
using Recommender.Api.Options;
using Recommender.Api.Serving;

namespace Recommender.Api.Dashboard;

/// <summary>
/// Records each new model in <see cref="TrainingHistory"/> as it appears, every
/// <c>ModelPollSeconds</c> (a directory listing; a manifest is read once per version), so the
/// history keeps models that are pruned before anyone opens the dashboard.
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
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ModelPollSeconds), clock);
        do
        {
            history.Refresh(state.Model?.Manifest);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
