using Recommender.Training.Algorithms;
using Recommender.Training.Matrix;

namespace Recommender.Training.Scoring;

/// <summary>
/// A fitted model seen from ranking: the score of every product for one buyer of the histories it
/// was trained on. Evaluation, model selection and serving all rank through this.
/// </summary>
public interface IBuyerScorer
{
    void Score(int buyer, BuyerHistories histories, Span<float> scores);
}

/// <summary>Everyone gets the same scores: each product's summed interaction weight.</summary>
public sealed class PopularityScorer(float[] popularity) : IBuyerScorer
{
    public float[] Popularity { get; } = popularity;

    public void Score(int buyer, BuyerHistories histories, Span<float> scores) => Popularity.CopyTo(scores);
}

/// <summary>A factorization (ALS, SVD): the buyer's vector against every product's.</summary>
public sealed class FactorScorer(FactorMatrix buyers, FactorMatrix products) : IBuyerScorer
{
    public FactorMatrix Buyers { get; } = buyers;
    public FactorMatrix Products { get; } = products;

    public static FactorScorer Of(LatentFactors factors) => new(factors.Buyers, factors.Products);

    public void Score(int buyer, BuyerHistories histories, Span<float> scores) => ModelScorer.ScoreAll(Buyers.Row(buyer), Products, scores);
}

/// <summary>The item-to-item model: the buyer's history, weighted by kind and recency, through the similarities.</summary>
public sealed class ItemKnnScorer(ItemKnnModel model) : IBuyerScorer
{
    public ItemKnnModel Model { get; } = model;

    public void Score(int buyer, BuyerHistories histories, Span<float> scores) =>
        ScoreHistory(histories.ItemsOf(buyer), histories.TicksOf(buyer), histories.WeightsOf(buyer), scores);

    /// <summary>
    /// Scores any history (a buyer's current one, say), oldest first, with kind weights. Without
    /// <paramref name="popularityTieBreak"/> products no neighbour reaches are -∞.
    /// </summary>
    public void ScoreHistory(ReadOnlySpan<int> items, ReadOnlySpan<long> ticks, ReadOnlySpan<float> kindWeights, Span<float> scores, bool popularityTieBreak = true)
    {
        Span<float> weights = ticks.Length <= 512 ? stackalloc float[ticks.Length] : new float[ticks.Length];
        // "Now" is the buyer's latest interaction: any later now scales all weights alike.
        var latest = 0L;
        foreach (var t in ticks) latest = Math.Max(latest, t);
        HistoryWeights.ApplyDecay(kindWeights, ticks, Model.HalfLifeDays, latest, weights);
        Model.Score(items, weights, scores, popularityTieBreak);
    }
}
