using Recommender.Training.Artifacts;

namespace Recommender.Training.Algorithms;

/// <summary>
/// What every fitted algorithm answers, in the spirit of implicit's <c>RecommenderBase</c>
/// (<c>recommend</c>, <c>similar_items</c>, <c>recalculate_user</c>, <c>explain</c>, save/load).
/// Serving, evaluation, the trainer and the model zip hold this, never a concrete model, so an
/// algorithm is one folder plus one line in <see cref="AlgorithmRegistry"/>.
/// </summary>
/// <remarks>
/// Scores are written one per product of the model (its product indices). A product the model
/// has no signal for is -∞, so a caller can fill the list from another source. Implementations
/// are immutable once fitted or read, and safe to share between request threads.
/// </remarks>
public interface IFittedModel
{
    /// <summary>The registry name of the algorithm (the manifest's "algorithm").</summary>
    string Algorithm { get; }

    /// <summary>The options it was fitted with: its algorithm's options class.</summary>
    object Options { get; }

    /// <summary>Products scored (columns of the training matrix).</summary>
    int Products { get; }

    /// <summary>Latent factors per vector; 0 for a model that has none.</summary>
    int Factors { get; }

    /// <summary>False for a model that gives every buyer the same list (popularity).</summary>
    bool IsPersonalized { get; }

    /// <summary>Throws <see cref="InvalidDataException"/> unless the model fits id maps of these sizes.</summary>
    void CheckShape(int buyers, int products);

    /// <summary>A buyer of the histories the model was fitted on, as fitted (ALS: their trained vector).</summary>
    BuyerProfile ProfileOf(int buyer, BuyerHistories histories);

    /// <summary>
    /// recalculate_user: a profile from a history the model was not fitted on (a buyer's current
    /// one), weighted as at training. Cache it per buyer and model (<see cref="BuyerHistory.ProfileFor"/>).
    /// </summary>
    BuyerProfile FoldIn(BuyerHistory history);

    /// <summary>
    /// A profile of "products like these", for a buyer with too short a history to personalize:
    /// the similarity of every product to the history's items.
    /// </summary>
    BuyerProfile SimilarToItems(BuyerHistory history);

    /// <summary>
    /// recommend: the score of every product for the profile. With <paramref name="rankEverything"/>
    /// (offline evaluation ranks every product) products without signal are ordered by a prior
    /// below every scored one instead of being -∞.
    /// </summary>
    void Score(BuyerProfile profile, Span<float> scores, bool rankEverything = false);

    /// <summary>The scores of the given products only, in their order.</summary>
    void Score(BuyerProfile profile, ReadOnlySpan<int> candidates, Span<float> scores);

    /// <summary>similar_items: similarity of every product to <paramref name="product"/>; false when the model has no notion of it.</summary>
    bool SimilarItems(int product, Span<float> scores);

    /// <summary>
    /// explain: how much each product of the profile's history contributed to <paramref name="product"/>'s
    /// score, largest first, at most <paramref name="top"/>; empty for a model that is not personalized.
    /// </summary>
    IReadOnlyList<Contribution> Explain(BuyerProfile profile, int product, int top);

    /// <summary>Writes the model's own entries of the model zip (the manifest records <see cref="IRecommenderAlgorithm.FormatVersion"/>).</summary>
    void Write(ModelEntryWriter entries);

    /// <summary>What a list scored by this model's <see cref="Score(BuyerProfile, Span{float}, bool)"/> says it came from.</summary>
    string PersonalizedSource => "personalized";

    /// <summary>What the fit found out about itself, for the manifest (a learned ranker's features and holdout); null when nothing.</summary>
    object? Report => null;

    /// <summary>
    /// Set when the fit should not be served as it is: a learned ranker that did not beat its best
    /// source on a holdout it did not train on, which then serves in its place.
    /// </summary>
    FitVerdict? Verdict => null;

    /// <summary>What serves from this fit: the <see cref="Verdict"/>'s model when it gave way, else this.</summary>
    IFittedModel Served => Verdict?.Instead ?? this;
}

/// <summary>Why a fitted model gives way, and the model that serves instead (fitted on the same data).</summary>
public sealed record FitVerdict(string Reason, IFittedModel Instead);

/// <summary>What a model knows of one buyer; each model reads only its own kind.</summary>
public abstract class BuyerProfile
{
    private readonly (BuyerHistories Histories, int Buyer) _stored;
    private BuyerHistory? _history;

    /// <summary>A profile built from <paramref name="history"/>.</summary>
    protected BuyerProfile(BuyerHistory history) => _history = history;

    /// <summary>A trained buyer's profile: their history is read from the model only if an explanation asks.</summary>
    protected BuyerProfile(BuyerHistories histories, int buyer) => _stored = (histories, buyer);

    /// <summary>The history the profile was built from (what explanations point at).</summary>
    public BuyerHistory History => _history ??= BuyerHistory.Of(_stored.Histories, _stored.Buyer);
}

/// <summary>A history product's part in a score: its share of the summed absolute contributions.</summary>
public readonly record struct Contribution(int Product, float Share);
