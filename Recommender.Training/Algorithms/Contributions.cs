namespace Recommender.Training.Algorithms;

/// <summary>Turns per-product contributions to a score into the explanation's shares.</summary>
public static class Contributions
{
    /// <summary>
    /// The <paramref name="top"/> largest positive contributions, each as its share of the summed
    /// absolute contributions (so shares of what pulled a score down count in the whole too).
    /// </summary>
    public static IReadOnlyList<Contribution> Top(IReadOnlyDictionary<int, float> byProduct, int top)
    {
        ArgumentNullException.ThrowIfNull(byProduct);
        var total = 0f;
        foreach (var value in byProduct.Values) total += MathF.Abs(value);
        if (!(total > 0) || top < 1) return [];
        return [.. byProduct
            .Where(c => c.Value > 0)
            .OrderByDescending(c => c.Value).ThenBy(c => c.Key)
            .Take(top)
            .Select(c => new Contribution(c.Key, c.Value / total))];
    }
}
