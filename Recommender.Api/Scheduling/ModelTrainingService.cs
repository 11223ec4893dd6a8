using System.Diagnostics;
using Microsoft.Extensions.Options;
using Recommender.Api.Catalog;
using Recommender.Api.ModelVersions;
using Recommender.Api.Options;
using Recommender.Api.Serving;
using Recommender.Training;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;
using Recommender.Training.Evaluation;

namespace Recommender.Api.Scheduling;

public enum TrainingOutcome
{
    /// <summary>A new model was trained, published and is serving.</summary>
    Published,

    /// <summary>Neither the shop's interactions nor the settings changed since the serving model.</summary>
    Unchanged,
}

/// <summary>
/// One training: read the interactions, skip if nothing changed, fit, publish the zip, serve it.
/// Kept apart from the Quartz job so tests and the job share it.
/// </summary>
public sealed partial class ModelTrainingService(
    IShopDatabase shop,
    ModelStore store,
    IModelPublisher publisher,
    ServingState state,
    ModelReloader reloader,
    TimeProvider clock,
    IOptions<RecommenderOptions> options,
    ILogger<ModelTrainingService> logger)
{
    private readonly CandidateChooser _chooser = new(clock);

    public async Task<TrainingOutcome> TrainAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Training;
        var variants = options.Value.Experiments.Candidates(settings);
        var stopwatch = Stopwatch.StartNew();
        var log = await InteractionLog.ReadAsync(shop, settings.Weights, cancellationToken);
        var readSeconds = stopwatch.Elapsed.TotalSeconds;

        // A model published by an earlier run (or another replica) may not be serving yet.
        await publisher.SyncAsync(cancellationToken);
        if (state.Model?.Manifest is { } serving &&
            serving.DataFingerprint == log.Fingerprint &&
            serving.SettingsFingerprint == settings.Fingerprint() &&
            HasVariants(serving, variants))
        {
            LogUnchanged(serving.Version, log.Count);
            return TrainingOutcome.Unchanged;
        }

        // What the ranker knows of products: the catalogue the service holds, read now when it holds none yet.
        log.Describe((state.Catalog ?? await ProductCatalog.ReadAsync(shop, clock, cancellationToken)).ById);
        var version = store.NextVersion(atLeast: (state.Model?.Version ?? 0) + 1);
        var model = await Task.Run(() =>
        {
            var choice = _chooser.Choose(log, settings, state.Model?.Manifest, cancellationToken);
            if (choice.NewSelection is { } selection)
                LogSelected(choice.Candidate.ToString(), selection.WinnerMetrics.Ndcg10, selection.PopularityMetrics.Ndcg10, selection.Tried.Count,
                    selection.PopularityMetrics.Users);
            return ModelTrainer.Train(log, settings, choice.Candidate, version, cancellationToken, choice.Selection, Keepable(choice, settings), variants);
        }, cancellationToken);
        if (model.Manifest.FallbackReason is { } reason)
            LogFallback(version, reason);
        (model, var path) = await publisher.PublishAsync(model, cancellationToken);
        reloader.Adopt(model);
        LogPublished(model.Version, model.Manifest.Algorithm, log.Count, log.Buyers.Count, log.Products.Count,
            readSeconds, model.Manifest.TrainingSeconds, stopwatch.Elapsed.TotalSeconds, path);
        return TrainingOutcome.Published;
    }

    /// <summary>
    /// The serving model, when a training may keep what it learned (a ranker's trees): no selection
    /// ran for this training, and it was learned less than the selection interval ago.
    /// </summary>
    private RecommenderModel? Keepable(Choice choice, Training.TrainingSettings settings)
    {
        if (choice.Selected || state.Model is not { } serving) return null;
        var learnedAt = serving.Manifest.LearnedAt ?? serving.Manifest.TrainedAt;
        return clock.GetUtcNow() - learnedAt < TimeSpan.FromHours(settings.SelectionIntervalHours) ? serving : null;
    }

    /// <summary>True when the model holds exactly the experiment's variant models, fitted as configured: an experiment changed retrains.</summary>
    private static bool HasVariants(ModelManifest manifest, IReadOnlyList<(string Name, Candidate Candidate)> variants) =>
        manifest.Variants.Count == variants.Count &&
        variants.All(v => manifest.Variants.TryGetValue(v.Name, out var fitted) && fitted.Describes(v.Candidate.Name, v.Candidate.Options));

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Model {Version} ({Algorithm}) published: {Interactions} interactions, {Buyers} buyers, {Products} products; read {ReadSeconds:F3}s, fit {FitSeconds:F3}s, total {TotalSeconds:F3}s; {Path}")]
    private partial void LogPublished(long version, string algorithm, int interactions, int buyers, int products,
        double readSeconds, double fitSeconds, double totalSeconds, string path);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information,
        Message = "Model selection chose {Candidate}: holdout NDCG@10 {Ndcg10:F4} against popularity's {PopularityNdcg10:F4}, {Tried} candidates tried on {HeldOutBuyers} held-out buyers")]
    private partial void LogSelected(string candidate, double ndcg10, double popularityNdcg10, int tried, int heldOutBuyers);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Model {Version} is not what the settings asked for: {Reason}")]
    private partial void LogFallback(long version, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug,
        Message = "Training skipped: {Interactions} interactions and the settings are unchanged since model {Version}")]
    private partial void LogUnchanged(long version, int interactions);
}
