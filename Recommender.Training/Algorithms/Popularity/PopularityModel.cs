using Recommender.Training.Artifacts;

namespace Recommender.Training.Algorithms.Popularity;

/// <summary>The same scores for everyone; not personalized, so serving uses its fallbacks instead.</summary>
public sealed class PopularityModel(float[] popularity) : IFittedModel
{
    internal const string Entry = "popularity.model.f32";

    public float[] Popularity { get; } = popularity;

    public string Algorithm => PopularityAlgorithm.AlgorithmName;
    public object Options { get; } = new PopularityOptions();
    public int Products => Popularity.Length;
    public int Factors => 0;
    public bool IsPersonalized => false;

    public void CheckShape(int buyers, int products)
    {
        if (products != Products) throw new InvalidDataException("The popularity model does not match the product id map.");
    }

    public BuyerProfile ProfileOf(int buyer, BuyerHistories histories) => new Profile(BuyerHistory.Empty);
    public BuyerProfile FoldIn(BuyerHistory history) => new Profile(history);
    public BuyerProfile SimilarToItems(BuyerHistory history) => new Profile(history);

    public void Score(BuyerProfile profile, Span<float> scores, bool rankEverything = false) => Popularity.CopyTo(scores);

    public void Score(BuyerProfile profile, ReadOnlySpan<int> candidates, Span<float> scores)
    {
        for (var n = 0; n < candidates.Length; n++) scores[n] = Popularity[candidates[n]];
    }

    public bool SimilarItems(int product, Span<float> scores) => false;

    public IReadOnlyList<Contribution> Explain(BuyerProfile profile, int product, int top) => [];

    public void Write(ModelEntryWriter entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        entries.WriteArray<float>(Entry, Popularity);
    }

    private sealed class Profile(BuyerHistory history) : BuyerProfile(history);
}
