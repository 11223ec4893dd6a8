namespace Recommender.Training.Algorithms;

/// <summary>
/// One buyer's interactions in a model's product indices, oldest first: each with its kind
/// weight (order 1.0, cart 0.5, wishlist 0.3 by default) and time. Products the model does not
/// know cannot be scored: they are only named in <see cref="Unseen"/>. Immutable; a
/// fitted model's profile of it is computed once and kept (<see cref="ProfileFor"/>).
/// </summary>
public sealed class BuyerHistory
{
    public static readonly BuyerHistory Empty = new([], [], []);

    private CachedProfile? _profile;

    public BuyerHistory(int[] items, long[] ticks, float[] weights)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(ticks);
        ArgumentNullException.ThrowIfNull(weights);
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
    /// trained): a fallback that shows such products excludes them by id.
    /// </summary>
    public string[] Unseen { get; init; } = [];

    /// <summary>The products in the history, sorted (repeats kept): what the buyer already has.</summary>
    public int[] Owned { get; }

    /// <summary>Buyer <paramref name="buyer"/>'s stored history in <paramref name="histories"/>.</summary>
    public static BuyerHistory Of(BuyerHistories histories, int buyer)
    {
        ArgumentNullException.ThrowIfNull(histories);
        return new(histories.ItemsOf(buyer).ToArray(), histories.TicksOf(buyer).ToArray(), histories.WeightsOf(buyer).ToArray());
    }

    /// <summary>
    /// The model's fold-in of this history, computed on first use and kept for as long as the
    /// history and the model are the same (a live buyer's history is rebuilt for each new model).
    /// </summary>
    public BuyerProfile ProfileFor(IFittedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (Volatile.Read(ref _profile) is { } cached && ReferenceEquals(cached.Model, model)) return cached.Profile;
        var profile = model.FoldIn(this);
        // Two threads may both compute it; the results are equal, either may stay.
        Volatile.Write(ref _profile, new CachedProfile(model, profile));
        return profile;
    }

    private sealed record CachedProfile(IFittedModel Model, BuyerProfile Profile);
}
