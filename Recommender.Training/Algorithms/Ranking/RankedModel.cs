using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Recommender.Training.Artifacts;

namespace Recommender.Training.Algorithms.Ranking;

/// <summary>
/// The two-stage model: the sources propose, the LightGBM ranker trained with ML.NET orders what
/// they proposed (<see cref="RankingFeatures"/>, <see cref="CompiledTrees"/>). Products no source
/// proposed have no score, so serving fills the rest of a list from its fallbacks as for any
/// model. "Similar" lists and explanations are the item-to-item source's.
/// </summary>
public sealed class RankedModel : IFittedModel
{
    /// <summary>The ML.NET model, as <c>MLContext.Model.Save</c> wrote it: open it with <c>MLContext.Model.Load</c>.</summary>
    public const string RankerEntry = "ranker.zip";

    internal const string ReportEntry = "ranker.json";
    internal const string SourcesFolder = "sources/";

    private readonly RankerOptions _options;
    private readonly byte[] _rankerBytes;

    internal RankedModel(RankingSources sources, CompiledTrees? trees, byte[] rankerBytes, RankerOptions options, RankerReport? report, FitVerdict? verdict = null)
    {
        Sources = sources;
        Trees = trees;
        _rankerBytes = rankerBytes;
        _options = (RankerOptions)OptionBinding.Clone(options);
        RankerReport = report;
        Verdict = verdict;
    }

    /// <summary>A fit that learned no ranker (too little data): it scores as its item source, and gives way to it.</summary>
    internal static RankedModel Untrained(RankingSources sources, RankerOptions options, FitVerdict verdict) =>
        new(sources, null, [], options, null, verdict);

    internal RankingSources Sources { get; }

    /// <summary>The ranker's trees; null when none was learned.</summary>
    internal CompiledTrees? Trees { get; }

    /// <summary>What the ranker's training found; null when none was learned.</summary>
    public RankerReport? RankerReport { get; }

    /// <summary>The ML.NET model zip (<see cref="RankerEntry"/>).</summary>
    public ReadOnlyMemory<byte> RankerBytes => _rankerBytes;

    public string Algorithm => RankerAlgorithm.AlgorithmName;
    public object Options => _options;
    public int Products => Sources.Products;
    public int Factors => Sources.Als?.Factors ?? 0;
    public bool IsPersonalized => true;
    public string PersonalizedSource => "ranked";
    public object? Report => RankerReport;
    public FitVerdict? Verdict { get; }

    public void CheckShape(int buyers, int products)
    {
        Sources.Item.CheckShape(buyers, products);
        Sources.Als?.CheckShape(buyers, products);
        if (products != Products) throw new InvalidDataException("The ranker's sources do not match the product id map.");
    }

    public BuyerProfile ProfileOf(int buyer, BuyerHistories histories) => RankedProfile.Of(Sources, buyer, histories);

    public BuyerProfile FoldIn(BuyerHistory history) => RankedProfile.FoldIn(Sources, history);

    public BuyerProfile SimilarToItems(BuyerHistory history) => RankedProfile.FoldIn(Sources, history);

    /// <remarks>
    /// Below the candidates come the other products the buyer's history reaches, in the item
    /// source's order: a page that filters drop every candidate from stays personal. With
    /// <paramref name="rankEverything"/>, the products left follow, in order of popularity.
    /// </remarks>
    public void Score(BuyerProfile profile, Span<float> scores, bool rankEverything = false)
    {
        var own = Own(profile);
        if (Trees is null)
        {
            Sources.Item.Score(own.Item, scores, rankEverything);
            return;
        }
        var scratch = RankingScratch.For(Products, _options);
        var candidates = scratch.Candidates;
        var ranked = scratch.Ranked;
        var count = RankingFeatures.Compute(Sources, own, _options, candidates, scratch.Features);
        Trees.Score(scratch.Features, count, ranked);
        var lowest = count == 0 ? 0 : TensorPrimitives.Min(ranked.AsSpan(0, count));
        // The item source's scores as Compute left them (positive, owned products −∞), scaled into [lowest − 2, lowest − 1].
        var item = scratch.ItemScores.AsSpan(0, Products);
        var scale = new Vector<float>(scratch.ItemBest > 0 ? 1 / scratch.ItemBest : 0);
        var below = new Vector<float>(lowest - 2);
        var none = new Vector<float>(float.NegativeInfinity);
        var p = 0;
        for (; p + Vector<float>.Count <= Products; p += Vector<float>.Count)
        {
            var s = new Vector<float>(item[p..]);
            Vector.ConditionalSelect(Vector.Equals(s, none), none, below + s * scale).CopyTo(scores[p..]);
        }
        for (; p < Products; p++)
            scores[p] = float.IsNegativeInfinity(item[p]) ? float.NegativeInfinity : lowest - 2 + item[p] * scale[0];
        for (var c = 0; c < count; c++) scores[candidates[c]] = ranked[c];
        if (rankEverything) RankTheRest(scores, lowest);
    }

    public void Score(BuyerProfile profile, ReadOnlySpan<int> candidates, Span<float> scores)
    {
        var all = ArrayPool<float>.Shared.Rent(Products);
        try
        {
            Score(profile, all.AsSpan(0, Products));
            for (var n = 0; n < candidates.Length; n++) scores[n] = all[candidates[n]];
        }
        finally
        {
            ArrayPool<float>.Shared.Return(all);
        }
    }

    public bool SimilarItems(int product, Span<float> scores) => Sources.Item.SimilarItems(product, scores);

    /// <summary>The item-to-item source's reasons: which history products lead to this one.</summary>
    public IReadOnlyList<Contribution> Explain(BuyerProfile profile, int product, int top) => Sources.Item.Explain(Own(profile).Item, product, top);

    public void Write(ModelEntryWriter entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (Trees is null || RankerReport is null)
            throw new InvalidOperationException("No ranker was learned: what serves is the verdict's model, not this one.");
        Sources.Write(entries.Under(SourcesFolder));
        entries.WriteBytes(RankerEntry, _rankerBytes);
        entries.WriteJson(ReportEntry, RankerReport);
    }

    /// <summary>The same ranker over sources refitted on newer histories (the trees are kept until the next selection).</summary>
    internal RankedModel WithSources(RankingSources sources) => new(sources, Trees, _rankerBytes, _options, RankerReport);

    /// <summary>Products neither proposed nor reached: 3 to 4 below the lowest candidate, the most popular highest.</summary>
    private void RankTheRest(Span<float> scores, float lowest)
    {
        var popularity = Sources.Popularity;
        var most = TensorPrimitives.Max(popularity);
        for (var p = 0; p < Products; p++)
            if (float.IsNegativeInfinity(scores[p]))
                scores[p] = lowest - 4 + popularity[p] / (most + 1);
    }

    private static RankedProfile Own(BuyerProfile profile) => profile as RankedProfile
        ?? throw new ArgumentException($"The ranker cannot score a {profile?.GetType().Name ?? "null"} profile.", nameof(profile));
}
