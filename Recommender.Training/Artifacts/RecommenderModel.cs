using Recommender.Training.Algorithms;
using Recommender.Training.Matrix;
using Recommender.Training.Scoring;

namespace Recommender.Training.Artifacts;

/// <summary>
/// A trained model as it is saved and served: the id maps, every buyer's time-ordered history
/// (to exclude what a buyer already has, and to score item-to-item models), the fitted model,
/// and two rankings for fallbacks: all-time popularity and trending (recent, decayed) demand.
/// Immutable once built; shared by every request thread.
/// </summary>
public sealed class RecommenderModel
{
    public RecommenderModel(
        ModelManifest manifest,
        IdMap buyers,
        IdMap products,
        BuyerHistories histories,
        IFittedModel fitted,
        float[] popularity,
        float[] trending,
        IReadOnlyDictionary<string, IFittedModel>? variants = null)
    {
        if (histories.Buyers != buyers.Count || histories.Items != products.Count)
            throw new InvalidDataException("The buyer histories do not match the id maps.");
        if (popularity.Length != products.Count || trending.Length != products.Count)
            throw new InvalidDataException("There must be one popularity and one trending score per product.");
        ArgumentNullException.ThrowIfNull(fitted);
        fitted.CheckShape(buyers.Count, products.Count);
        variants ??= new Dictionary<string, IFittedModel>(StringComparer.Ordinal);
        foreach (var variant in variants.Values)
            variant.CheckShape(buyers.Count, products.Count);

        Manifest = manifest;
        Buyers = buyers;
        Products = products;
        Histories = histories;
        Fitted = fitted;
        Popularity = popularity;
        Trending = trending;
        Variants = variants;
    }

    public ModelManifest Manifest { get; }
    public long Version => Manifest.Version;
    public IdMap Buyers { get; }
    public IdMap Products { get; }

    /// <summary>Each buyer's interactions, oldest first, with kind weights and times.</summary>
    public BuyerHistories Histories { get; }

    /// <summary>The fitted algorithm, seen only through its contract.</summary>
    public IFittedModel Fitted { get; }

    /// <summary>
    /// The models of an A/B experiment's variants, by variant name, fitted on the same histories as
    /// <see cref="Fitted"/> and sharing everything else (id maps, histories, popularity, trending).
    /// Empty without an experiment.
    /// </summary>
    public IReadOnlyDictionary<string, IFittedModel> Variants { get; }

    /// <summary>True when the zip holds a model fitted for <paramref name="variant"/>.</summary>
    public bool HasVariant(string variant) => Variants.ContainsKey(variant);

    /// <summary>The model serving <paramref name="variant"/>: its own when the zip has one, else <see cref="Fitted"/>.</summary>
    public IFittedModel FittedFor(string? variant) =>
        variant is not null && Variants.TryGetValue(variant, out var fitted) ? fitted : Fitted;

    /// <summary>Summed interaction weight of each product over all buyers.</summary>
    public float[] Popularity { get; }

    /// <summary>Log of the half-life-decayed interaction weight of each product (-∞ for none); see <see cref="TrendingScores"/>.</summary>
    public float[] Trending { get; }

    /// <summary>The same model under another manifest (a version renumbered on publication, say).</summary>
    public RecommenderModel WithManifest(ModelManifest manifest) =>
        new(manifest, Buyers, Products, Histories, Fitted, Popularity, Trending, Variants);
}
