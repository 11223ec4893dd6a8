using Microsoft.Extensions.Options;
using Recommender.Api.Options;

namespace Recommender.Api.Outcomes;

/// <summary>
/// Every <see cref="AttributionOptions.RollupSeconds"/>, and when the service stops, adds what this
/// instance tallied since the last time to the daily roll-up (<see cref="IOutcomeRollupStore"/>),
/// keyed by the running experiment. A failed write puts the tallies back to be added next time.
/// </summary>
public sealed partial class OutcomeRollup(
    ImpressionMemory memory,
    IOutcomeRollupStore store,
    TimeProvider clock,
    IOptions<RecommenderOptions> options,
    ILogger<OutcomeRollup> logger) : BackgroundService
{
    /// <summary>What the roll-up is keyed by when no experiment runs: the default variant's history still accumulates.</summary>
    public const string NoExperiment = "none";

    private readonly SemaphoreSlim _flushing = new(1, 1);

    /// <summary>The roll-up key of the configured experiment.</summary>
    public string ExperimentKey => options.Value.Experiments.IsRunning ? options.Value.Experiments.Key : NoExperiment;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Attribution.Enabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Attribution.RollupSeconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            await FlushAsync(stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (options.Value.Attribution.Enabled)
            await FlushAsync(cancellationToken);
    }

    /// <summary>Adds the tallies since the last flush to the store; on failure keeps them for the next.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            var tallies = memory.TakeTallies();
            if (tallies.Count == 0) return;
            try
            {
                await store.AddAsync(ExperimentKey, tallies, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                memory.Restore(tallies);
                LogFailed(e);
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    /// <summary>Everything tallied for the running experiment: the stored days plus what is not stored yet.</summary>
    public async Task<IReadOnlyDictionary<(int Day, string Variant), DayTally>> ReadAsync(CancellationToken cancellationToken)
    {
        var total = new Dictionary<(int Day, string Variant), DayTally>();
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            foreach (var (key, tally) in await store.ReadAsync(ExperimentKey, cancellationToken))
                total[key] = tally.Copy();
            foreach (var (key, tally) in memory.PeekTallies())
            {
                if (total.TryGetValue(key, out var sum)) sum.Add(tally);
                else total[key] = tally;
            }
        }
        finally
        {
            _flushing.Release();
        }
        return total;
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning,
        Message = "The outcome roll-up could not be stored; its counts are kept and added at the next try")]
    private partial void LogFailed(Exception exception);
}
