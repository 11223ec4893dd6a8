using Recommender.Training.Matrix;

namespace Recommender.Training.Algorithms.ItemToItem;

/// <summary>
/// A fitted <see cref="ItemKnn"/>: nothing but arrays, so it serializes as they are.
/// <see cref="Similarities"/> is product×product (row a holds a's neighbours b with sim(a→b)),
/// <see cref="Popularity"/> the summed training weight of each product (a tie-breaker for
/// products no neighbour reaches) and <see cref="HalfLifeDays"/> the profile half-life the model
/// was fitted and selected with. A buyer's scores depend on their history only, so a buyer
/// unknown at training time, or one whose history changed since, is scored the same way.
/// </summary>
public sealed partial class ItemKnnModel : IFittedModel
{
    /// <summary>Popularity enters scaled to this share of the largest history weight: it only breaks ties.</summary>
    private const float PopularityPrior = 1e-6f;

    private readonly float _maxPopularity;

    public ItemKnnModel(CsrMatrix similarities, float[] popularity, double halfLifeDays)
        : this(similarities, popularity, new ItemKnnOptions { HalfLifeDays = halfLifeDays })
    {
    }

    public ItemKnnModel(CsrMatrix similarities, float[] popularity, ItemKnnOptions options)
    {
        ArgumentNullException.ThrowIfNull(similarities);
        ArgumentNullException.ThrowIfNull(popularity);
        ArgumentNullException.ThrowIfNull(options);
        if (similarities.Rows != similarities.Columns || popularity.Length != similarities.Columns)
            throw new ArgumentException("Expected a square similarity matrix and one popularity per product.");
        Similarities = similarities;
        Popularity = popularity;
        // A copy: the model is immutable even if the caller changes its options object later.
        ItemKnnOptions = (ItemKnnOptions)OptionBinding.Clone(options);
        foreach (var p in popularity) _maxPopularity = Math.Max(_maxPopularity, p);
    }

    public CsrMatrix Similarities { get; }
    public float[] Popularity { get; }
    public ItemKnnOptions ItemKnnOptions { get; }
    public double HalfLifeDays => ItemKnnOptions.HalfLifeDays;
    public int Products => Similarities.Rows;

    /// <summary>
    /// scores[b] = Σ_h weight[h] · sim(h→b) (plus a popularity tie-breaker far below any real
    /// score). <paramref name="historyWeights"/> already include kind weight × recency decay
    /// (<see cref="HistoryWeights.Compute"/> with <see cref="HalfLifeDays"/>). The buyer's own
    /// products are not excluded here: that is the caller's rule (<c>ModelScorer.ExcludeOwned</c>).
    /// Without <paramref name="popularityTieBreak"/>, a product no neighbour reaches scores -∞
    /// (no signal), so a caller can fall back to another source for it.
    /// </summary>
    public void Score(ReadOnlySpan<int> historyItems, ReadOnlySpan<float> historyWeights, Span<float> scores, bool popularityTieBreak = true)
    {
        if (historyItems.Length != historyWeights.Length)
            throw new ArgumentException("historyItems and historyWeights must have the same length.");
        if (scores.Length < Products)
            throw new ArgumentException($"scores must hold {Products} floats.", nameof(scores));
        if (popularityTieBreak)
        {
            var top = 0f;
            foreach (var w in historyWeights) top = Math.Max(top, w);
            var prior = _maxPopularity > 0 ? PopularityPrior * (top > 0 ? top : 1) / _maxPopularity : 0;
            for (var p = 0; p < Products; p++) scores[p] = prior * Popularity[p];
        }
        else
        {
            scores[..Products].Fill(float.NegativeInfinity);
        }

        var rowStart = Similarities.RowStart;
        var indices = Similarities.Indices;
        var values = Similarities.Values;
        for (var h = 0; h < historyItems.Length; h++)
        {
            var item = historyItems[h];
            if ((uint)item >= (uint)Products)
                throw new ArgumentOutOfRangeException(nameof(historyItems), $"Product index {item} is outside 0..{Products - 1}.");
            var w = historyWeights[h];
            if (w == 0) continue;
            for (var n = rowStart[item]; n < rowStart[item + 1]; n++)
            {
                ref var score = ref scores[indices[n]];
                score = float.IsNegativeInfinity(score) ? w * values[n] : score + w * values[n];
            }
        }
    }

    /// <summary>The products most similar to <paramref name="product"/>: its stored row.</summary>
    public (ReadOnlyMemory<int> Products, ReadOnlyMemory<float> Similarities) Neighbours(int product) =>
        (Similarities.Indices.AsMemory(Similarities.RowStart[product], Similarities.RowLength(product)),
         Similarities.Values.AsMemory(Similarities.RowStart[product], Similarities.RowLength(product)));
}
