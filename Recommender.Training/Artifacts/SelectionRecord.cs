using System.Text.Json;
using Recommender.Training.Algorithms;
using Recommender.Training.Data;
using Recommender.Training.Evaluation;

namespace Recommender.Training.Artifacts;

/// <summary>
/// What model selection chose, when, and on how big a shop: it travels in the manifest of every
/// model trained with the choice, so whichever replica trains next reuses it until it expires
/// instead of selecting again (and perhaps choosing differently).
/// </summary>
public sealed record SelectionRecord
{
    public required string Algorithm { get; init; }

    /// <summary>The chosen options, as the algorithm's options class serializes.</summary>
    public required JsonElement Options { get; init; }

    public DateTimeOffset SelectedAt { get; init; }

    /// <summary>The shop's interactions when the choice was made.</summary>
    public int Interactions { get; init; }

    /// <summary>The training settings' fingerprint then: other settings make a new choice.</summary>
    public required string SettingsFingerprint { get; init; }

    /// <summary>The winner's and popularity's holdout NDCG@10 in the selection.</summary>
    public double Ndcg10 { get; init; }

    public double PopularityNdcg10 { get; init; }

    /// <summary>How many candidates the selection tried.</summary>
    public int Tried { get; init; }

    /// <summary>
    /// Every candidate tried and its holdout NDCG@10, in the order tried: why the winner won (a
    /// learned ranker that lost, or gave way to its best source, is here with its figure).
    /// </summary>
    public Dictionary<string, double> Results { get; init; } = [];

    /// <summary>A shop that grew or shrank by more than this factor since the choice is selected for again.</summary>
    public const double RegrowthFactor = 1.25;

    public static SelectionRecord Of(SelectionResult selection, InteractionLog log, TrainingSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(settings);
        var options = selection.Winner.Options;
        return new SelectionRecord
        {
            Algorithm = selection.Winner.Name,
            Options = JsonSerializer.SerializeToElement(options, options.GetType(), ModelArtifact.ManifestJson),
            SelectedAt = now,
            Interactions = log.Count,
            SettingsFingerprint = settings.Fingerprint(),
            Ndcg10 = selection.WinnerMetrics.Ndcg10,
            PopularityNdcg10 = selection.PopularityMetrics.Ndcg10,
            Tried = selection.Tried.Count,
            Results = selection.Tried.ToDictionary(t => t.Candidate.ToString(), t => Math.Round(t.Metrics.Ndcg10, 5)),
        };
    }

    /// <summary>True while the choice still holds: same settings, within the interval, the shop about the same size.</summary>
    public bool StillHolds(InteractionLog log, TrainingSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(settings);
        return now - SelectedAt < TimeSpan.FromHours(settings.SelectionIntervalHours) &&
               now >= SelectedAt &&
               SettingsFingerprint == settings.Fingerprint() &&
               log.Count <= Interactions * RegrowthFactor &&
               log.Count * RegrowthFactor >= Interactions &&
               AlgorithmRegistry.Find(Algorithm) is not null;
    }

    /// <summary>The chosen candidate; throws <see cref="InvalidDataException"/> when the options no longer read.</summary>
    public Candidate ToCandidate()
    {
        var algorithm = AlgorithmRegistry.Get(Algorithm);
        try
        {
            return new Candidate(algorithm, Options.Deserialize(algorithm.OptionsType, ModelArtifact.ManifestJson)
                ?? throw new InvalidDataException("The selection's options are empty."));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The selection's options do not read: {e.Message}", e);
        }
    }
}
