using Recommender.Training.Artifacts;
using Recommender.Training.Matrix;

namespace Recommender.Training.Algorithms.ItemToItem;

/// <summary>
/// The item-to-item model through the fitted-model contract. A buyer is their history weighted
/// by kind × recency, so a fold-in is the same computation as a trained buyer's profile, and
/// "similar to these items" is the same too.
/// </summary>
public sealed partial class ItemKnnModel
{
    internal const string RowStartEntry = "similarities.rowstart.i32";
    internal const string IndicesEntry = "similarities.indices.i32";
    internal const string ValuesEntry = "similarities.values.f32";
    internal const string PopularityEntry = "similarities.popularity.f32";

    public string Algorithm => ItemKnnAlgorithm.AlgorithmName;
    public object Options => ItemKnnOptions;
    public int Factors => 0;
    public bool IsPersonalized => true;

    public void CheckShape(int buyers, int products)
    {
        if (products != Products) throw new InvalidDataException("The similarities do not match the product id map.");
    }

    /// <remarks>Reads the stored history in place: scoring a trained buyer copies nothing but the weights.</remarks>
    public BuyerProfile ProfileOf(int buyer, BuyerHistories histories)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var start = histories.RowStart[buyer];
        var length = histories.Length(buyer);
        return new Profile(histories, buyer, histories.ItemIndices.AsMemory(start, length),
            Decayed(histories.WeightsOf(buyer), histories.TicksOf(buyer)));
    }

    public BuyerProfile FoldIn(BuyerHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new Profile(history, history.Items, Decayed(history.Weights, history.Ticks));
    }

    /// <summary>Kind weight × recency; "now" is the buyer's latest interaction, since any later now scales all weights alike.</summary>
    private float[] Decayed(ReadOnlySpan<float> kindWeights, ReadOnlySpan<long> ticks)
    {
        var weights = new float[ticks.Length];
        var latest = 0L;
        foreach (var t in ticks) latest = Math.Max(latest, t);
        HistoryWeights.ApplyDecay(kindWeights, ticks, HalfLifeDays, latest, weights);
        return weights;
    }

    public BuyerProfile SimilarToItems(BuyerHistory history) => FoldIn(history);

    /// <remarks>Unranked products are -∞ unless <paramref name="rankEverything"/>, then popularity breaks the ties.</remarks>
    public void Score(BuyerProfile profile, Span<float> scores, bool rankEverything = false)
    {
        var own = Own(profile);
        Score(own.Items.Span, own.Weights, scores, popularityTieBreak: rankEverything);
    }

    public void Score(BuyerProfile profile, ReadOnlySpan<int> candidates, Span<float> scores)
    {
        var own = Own(profile);
        var items = own.Items.Span;
        for (var n = 0; n < candidates.Length; n++)
        {
            var score = float.NegativeInfinity;
            for (var h = 0; h < own.Weights.Length; h++)
            {
                if (own.Weights[h] == 0 || Similarity(items[h], candidates[n]) is not { } similarity) continue;
                score = float.IsNegativeInfinity(score) ? own.Weights[h] * similarity : score + own.Weights[h] * similarity;
            }
            scores[n] = score;
        }
    }

    public bool SimilarItems(int product, Span<float> scores)
    {
        scores[..Products].Fill(float.NegativeInfinity);
        var (neighbours, similarities) = Neighbours(product);
        for (var n = 0; n < neighbours.Length; n++)
            scores[neighbours.Span[n]] = similarities.Span[n];
        return true;
    }

    /// <summary>Each history product's weight × its similarity to <paramref name="product"/>, repeats summed.</summary>
    public IReadOnlyList<Contribution> Explain(BuyerProfile profile, int product, int top)
    {
        var own = Own(profile);
        var items = own.Items.Span;
        var byProduct = new Dictionary<int, float>();
        for (var h = 0; h < own.Weights.Length; h++)
        {
            if (Similarity(items[h], product) is { } similarity && own.Weights[h] * similarity != 0)
                byProduct[items[h]] = byProduct.GetValueOrDefault(items[h]) + own.Weights[h] * similarity;
        }
        return Contributions.Top(byProduct, top);
    }

    public void Write(ModelEntryWriter entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        entries.WriteArray<int>(RowStartEntry, Similarities.RowStart);
        entries.WriteArray<int>(IndicesEntry, Similarities.Indices);
        entries.WriteArray<float>(ValuesEntry, Similarities.Values);
        entries.WriteArray<float>(PopularityEntry, Popularity);
    }

    internal static ItemKnnModel Read(ModelEntryReader entries, int formatVersion, ItemKnnOptions options)
    {
        var products = entries.Products;
        var rowStart = entries.ReadRowStart(RowStartEntry, products);
        var indices = entries.ReadArray<int>(IndicesEntry, rowStart[^1]);
        foreach (var c in indices)
            if ((uint)c >= (uint)products) throw new InvalidDataException("A similarity names a product outside the model.");
        var similarities = new CsrMatrix(products, products, rowStart, indices, entries.ReadArray<float>(ValuesEntry, rowStart[^1]));
        // Format 1 did not store the model's own popularity; the model-wide one stands in for it.
        var popularity = formatVersion == 1 ? entries.Popularity : entries.ReadArray<float>(PopularityEntry, products);
        return new ItemKnnModel(similarities, popularity, options);
    }

    /// <summary>sim(from→to), or null when <paramref name="to"/> is not among <paramref name="from"/>'s neighbours.</summary>
    internal float? Similarity(int from, int to)
    {
        var rowStart = Similarities.RowStart;
        var at = Array.IndexOf(Similarities.Indices, to, rowStart[from], rowStart[from + 1] - rowStart[from]);
        return at < 0 ? null : Similarities.Values[at];
    }

    private static Profile Own(BuyerProfile profile) => profile as Profile
        ?? throw new ArgumentException($"An item-to-item model cannot score a {profile?.GetType().Name ?? "null"} profile.", nameof(profile));

    /// <summary>The history's products with each interaction's weight in the profile (kind × recency).</summary>
    private sealed class Profile : BuyerProfile
    {
        public Profile(BuyerHistory history, ReadOnlyMemory<int> items, float[] weights) : base(history) => (Items, Weights) = (items, weights);

        public Profile(BuyerHistories histories, int buyer, ReadOnlyMemory<int> items, float[] weights) : base(histories, buyer) =>
            (Items, Weights) = (items, weights);

        public ReadOnlyMemory<int> Items { get; }
        public float[] Weights { get; }
    }
}
