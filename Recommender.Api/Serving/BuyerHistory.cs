namespace Recommender.Api.Serving;

/// <summary>
/// A buyer's interactions in the serving model's product indices, oldest first: each with its
/// kind weight (order 1.0, cart 0.5, wishlist 0.3 by default) and time. Products the model does
/// not know cannot be scored: they are only named in <see cref="Unseen"/>.
/// </summary>
public sealed class BuyerHistory
{
    public static readonly BuyerHistory Empty = new([], [], []);

    public BuyerHistory(int[] items, long[] ticks, float[] weights)
    {
        if (items.Length != ticks.Length || items.Length != weights.Length)
            throw new ArgumentException("A history needs one time and one weight per item.");
        Items = items;
        Ticks = ticks;
        Weights = weights;
        var owned = (int[])items.Clone();
        Array.Sort(owned);
        Owned = owned;
    }

    public int[] Items { get; }
    public long[] Ticks { get; }
    public float[] Weights { get; }
    public int Count => Items.Length;

    /// <summary>
    /// Ids of the buyer's products the model does not know (nobody had touched them when it was
    /// trained): the newest fallback could show them, so they are excluded by id.
    /// </summary>
    public string[] Unseen { get; init; } = [];

    /// <summary>The products in the history, sorted (repeats kept): what the buyer already has.</summary>
    public int[] Owned { get; }

    /// <summary>The distinct products with their summed weights, as a factorization's fold-in wants them.</summary>
    public (int[] Products, float[] Weights) Summed()
    {
        var sums = new SortedDictionary<int, float>();
        for (var n = 0; n < Items.Length; n++)
            sums[Items[n]] = sums.GetValueOrDefault(Items[n]) + Weights[n];
        return ([.. sums.Keys], [.. sums.Values]);
    }
}

/// <summary>
/// Buyers' current histories where they are newer than the model's (real-time updates).
/// Without one the model's own histories are used.
/// </summary>
public interface ILiveHistories
{
    /// <summary>The buyer's current history, or null when the model's stored history is current.</summary>
    BuyerHistory? Find(ServingSnapshot snapshot, string buyerId);
}

/// <summary>No real-time updates: every buyer is as the model last saw them.</summary>
public sealed class NoLiveHistories : ILiveHistories
{
    public BuyerHistory? Find(ServingSnapshot snapshot, string buyerId) => null;
}
