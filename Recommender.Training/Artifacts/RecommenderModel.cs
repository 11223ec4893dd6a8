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
        float[] trending)
    {
        if (histories.Buyers != buyers.Count || histories.Items != products.Count)
            throw new InvalidDataException("The buyer histories do not match the id maps.");
        if (popularity.Length != products.Count || trending.Length != products.Count)
            throw new InvalidDataException("There must be one popularity and one trending score per product.");
        ArgumentNullException.ThrowIfNull(fitted);
        fitted.CheckShape(buyers.Count, products.Count);

        Manifest = manifest;
        Buyers = buyers;
        Products = products;
        Histories = histories;
        Fitted = fitted;
        Popularity = popularity;
        Trending = trending;
    }

    public ModelManifest Manifest { get; }
    public long Version => Manifest.Version;
    public IdMap Buyers { get; }
    public IdMap Products { get; }

    /// <summary>Each buyer's interactions, oldest first, with kind weights and times.</summary>
    public BuyerHistories Histories { get; }

    /// <summary>The fitted algorithm, seen only through its contract.</summary>
    public IFittedModel Fitted { get; }

    /// <summary>Summed interaction weight of each product over all buyers.</summary>
    public float[] Popularity { get; }

    /// <summary>Log of the half-life-decayed interaction weight of each product (-∞ for none); see <see cref="TrendingScores"/>.</summary>
    public float[] Trending { get; }

    /// <summary>The same model under another manifest (a version renumbered on publication, say).</summary>
    public RecommenderModel WithManifest(ModelManifest manifest) =>
        new(manifest, Buyers, Products, Histories, Fitted, Popularity, Trending);
}
