using System.Diagnostics;
using Recommender.Training.Algorithms;
using Recommender.Training.Algorithms.Popularity;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;
using Recommender.Training.Evaluation;
using Recommender.Training.Scoring;

namespace Recommender.Training;

/// <summary>
/// Turns an interaction log into a model: histories → holdout check against popularity → fit on
/// everything → trending and popularity → manifest.
/// </summary>
public static class ModelTrainer
{
    /// <summary>Fewer held-out buyers than this say too little to overrule the chosen algorithm.</summary>
    public const int MinHoldoutBuyers = 20;

    /// <param name="selection">The selection <paramref name="candidate"/> came from, kept in the manifest; null for a fixed algorithm.</param>
    /// <param name="previous">
    /// The model serving now, when what it learned may be kept (<see cref="IRecommenderAlgorithm.Refit"/>): the same
    /// candidate, learned less than the selection interval ago. Its holdout figures are kept with it.
    /// </param>
    /// <param name="variants">An A/B experiment's variants: each candidate is fitted on the same histories and kept in the model beside the default one.</param>
    public static RecommenderModel Train(InteractionLog log, TrainingSettings settings, Candidate candidate, long version, CancellationToken cancellationToken,
        SelectionRecord? selection = null, RecommenderModel? previous = null,
        IReadOnlyList<(string Name, Candidate Candidate)>? variants = null)
    {
        settings.Validate();
        var clock = Stopwatch.StartNew();
        var histories = BuyerHistories.FromLog(log, settings.Weights);

        var metrics = new Dictionary<string, double>();
        string? fallbackReason = null;
        if (log.Count > 0 && previous is not null && previous.Fitted.Algorithm == candidate.Name &&
            OptionBinding.DescribeChanges(candidate.Options, previous.Fitted.Options).Length == 0 &&
            candidate.Algorithm.Refit(previous.Fitted, histories, cancellationToken) is { } refitted)
        {
            // Gated when it was learned; the figures of that holdout stay with it.
            return Assemble(log, settings, refitted, version, clock, previous.Manifest.Metrics, null, selection, histories,
                previous.Manifest.LearnedAt ?? previous.Manifest.TrainedAt, variants, cancellationToken);
        }
        if (log.Count == 0)
        {
            candidate = Candidate.Popularity;
            fallbackReason = "the shop has no interactions yet";
        }
        else if (settings.HoldoutEvaluation && candidate.Algorithm.Name != Candidate.Popularity.Name &&
                 Holdout(histories, settings.HoldoutMaxBuyers) is { EvaluatedBuyers: >= MinHoldoutBuyers } split)
        {
            var trial = candidate.Fit(split.Train, cancellationToken);
            var model = Evaluator.Evaluate(trial.Served, split, 0, cancellationToken);
            var popularity = Evaluator.Evaluate(Candidate.Popularity.Fit(split.Train, cancellationToken), split, 0, cancellationToken);
            Record(metrics, "", model);
            Record(metrics, "popularity_", popularity);
            if (model.Ndcg10 < popularity.Ndcg10)
            {
                fallbackReason = $"{candidate} scored NDCG@10 {model.Ndcg10:F4} on the holdout, below popularity's {popularity.Ndcg10:F4}";
                candidate = Candidate.Popularity;
            }
        }

        var fitted = candidate.Fit(histories, cancellationToken);
        if (fitted.Verdict is { } verdict)
        {
            fallbackReason = verdict.Reason;
            fitted = verdict.Instead;
        }
        return Assemble(log, settings, fitted, version, clock, metrics, fallbackReason, selection, histories, learnedAt: null, variants, cancellationToken);
    }

    private static RecommenderModel Assemble(InteractionLog log, TrainingSettings settings, IFittedModel fitted, long version, Stopwatch clock,
        Dictionary<string, double> metrics, string? fallbackReason, SelectionRecord? selection, BuyerHistories histories, DateTimeOffset? learnedAt,
        IReadOnlyList<(string Name, Candidate Candidate)>? variants, CancellationToken cancellationToken)
    {
        // Each variant as it would serve on its own: a ranker that gives way serves its best source.
        var variantModels = new Dictionary<string, IFittedModel>(StringComparer.Ordinal);
        foreach (var (name, variant) in variants ?? [])
            variantModels[name] = variant.Fit(histories, cancellationToken).Served;
        var popularityScores = PopularityAlgorithm.ColumnSums(histories.ToMatrix());
        var trending = TrendingScores.Compute(log, settings.Weights, TimeSpan.FromDays(settings.TrendingHalfLifeDays));

        var hyperparameters = OptionBinding.ToNumbers(fitted.Options);
        hyperparameters["weight_order"] = settings.Weights.Order;
        hyperparameters["weight_cart"] = settings.Weights.Cart;
        hyperparameters["weight_wishlist"] = settings.Weights.Wishlist;
        hyperparameters["trending_halflife_days"] = settings.TrendingHalfLifeDays;

        var manifest = new ModelManifest
        {
            Version = version,
            Algorithm = fitted.Algorithm,
            Hyperparameters = hyperparameters,
            TrainedAt = DateTimeOffset.UtcNow,
            DataFingerprint = log.Fingerprint,
            SettingsFingerprint = settings.Fingerprint(),
            Buyers = log.Buyers.Count,
            Products = log.Products.Count,
            Interactions = log.Count,
            TrainingSeconds = clock.Elapsed.TotalSeconds,
            Metrics = metrics,
            FallbackReason = fallbackReason,
            Selection = selection,
            LearnedAt = learnedAt,
            Variants = variantModels.ToDictionary(v => v.Key, v => VariantManifest.Of(v.Value), StringComparer.Ordinal),
        }.Describing(fitted);
        return new RecommenderModel(manifest, log.Buyers, log.Products, histories, fitted, popularityScores, trending, variantModels);
    }

    /// <summary>Every buyer's latest basket held out, scored for an even sample of at most <paramref name="maxBuyers"/> buyers.</summary>
    private static HoldoutSplit Holdout(BuyerHistories histories, int maxBuyers)
    {
        var split = LatestBasket.Holdout(histories);
        var evaluated = split.EvaluatedBuyers;
        if (maxBuyers == 0 || evaluated <= maxBuyers) return split;
        var heldOut = (int[])split.HeldOut.Clone();
        var seen = 0L;
        for (var b = 0; b < heldOut.Length; b++)
        {
            if (heldOut[b] < 0) continue;
            // Keep the buyers where ⌊seen·max/evaluated⌋ steps up: exactly maxBuyers, evenly spread.
            if (seen * maxBuyers / evaluated == (seen + 1) * maxBuyers / evaluated) heldOut[b] = -1;
            seen++;
        }
        return split with { HeldOut = heldOut };
    }

    private static void Record(Dictionary<string, double> metrics, string prefix, RankingMetrics m)
    {
        metrics[prefix + "ndcg@10"] = m.Ndcg10;
        metrics[prefix + "hr@10"] = m.HitRate10;
        metrics[prefix + "ndcg@20"] = m.Ndcg20;
        metrics[prefix + "hr@20"] = m.HitRate20;
        metrics[prefix + "holdout_buyers"] = m.Users;
    }
}
