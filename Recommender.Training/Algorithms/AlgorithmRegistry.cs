using Recommender.Training.Algorithms.Als;
using Recommender.Training.Algorithms.ItemToItem;
using Recommender.Training.Algorithms.Popularity;
using Recommender.Training.Algorithms.Ranking;
using Recommender.Training.Algorithms.Svd;

namespace Recommender.Training.Algorithms;

/// <summary>
/// Every algorithm the service can fit, serve and read back. Adding one is a folder with its
/// <see cref="RecommenderAlgorithm{TOptions}"/> and one line here; nothing else names it.
/// </summary>
public static class AlgorithmRegistry
{
    public static IReadOnlyList<IRecommenderAlgorithm> All { get; } =
    [
        new PopularityAlgorithm(),
        new SvdAlgorithm(),
        new AlsAlgorithm(),
        new ItemKnnAlgorithm(),
        new RankerAlgorithm(),
    ];

    public static IEnumerable<string> Names => All.Select(a => a.Name);

    public static IRecommenderAlgorithm? Find(string name) =>
        All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <exception cref="ArgumentException">No algorithm has that name.</exception>
    public static IRecommenderAlgorithm Get(string name) => Find(name)
        ?? throw new ArgumentException($"Unknown algorithm '{name}'; expected one of {string.Join(", ", Names)}.");

    /// <summary>The popularity baseline: what an empty shop gets and what every model must beat.</summary>
    public static IRecommenderAlgorithm Popularity => Get(PopularityAlgorithm.AlgorithmName);
}
