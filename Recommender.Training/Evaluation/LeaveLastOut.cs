using Recommender.Training.Algorithms;

namespace Recommender.Training.Evaluation;

/// <summary>
/// A training part and, per buyer, the held-out item to find (−1: buyer not evaluated). With
/// <see cref="Baskets"/>, a buyer has several held-out items (their latest basket), all relevant,
/// <see cref="HeldOut"/> being the first of them.
/// </summary>
public sealed record HoldoutSplit(BuyerHistories Train, int[] HeldOut)
{
    public int EvaluatedBuyers => HeldOut.Count(i => i >= 0);

    /// <summary>
    /// Every held-out item of each buyer: <c>Items[Start[b]..Start[b+1]]</c>, distinct, ascending;
    /// null when each buyer has only <see cref="HeldOut"/>.
    /// </summary>
    public (int[] Start, int[] Items)? Baskets { get; init; }

    /// <summary>The held-out items of an evaluated buyer (empty for a buyer not evaluated).</summary>
    public ReadOnlySpan<int> HeldOutItemsOf(int buyer)
    {
        if (HeldOut[buyer] < 0) return [];
        if (Baskets is not var (start, items)) return HeldOut.AsSpan(buyer, 1);
        return items.AsSpan(start[buyer], start[buyer + 1] - start[buyer]);
    }
}

/// <summary>
/// The leave-last-out protocol: per buyer, the most recent interaction is the test item and the
/// one before it the validation item.
/// </summary>
public static class LeaveLastOut
{
    /// <summary>
    /// Trains on all but the last item; the last item is held out. Buyers with fewer than two
    /// interactions are not evaluated (nothing to learn their taste from) but keep their history.
    /// </summary>
    public static HoldoutSplit Test(BuyerHistories histories) => Split(histories, skip: 0);

    /// <summary>
    /// Trains on all but the last two items; the second-to-last is held out. The last item is
    /// never seen, so tuning on this split does not peek at the test items. Buyers with fewer than
    /// three interactions are not evaluated.
    /// </summary>
    public static HoldoutSplit Validation(BuyerHistories histories) => Split(histories, skip: 1);

    /// <summary>Holds out the item <paramref name="skip"/> places before the last; drops everything after it.</summary>
    public static HoldoutSplit Split(BuyerHistories histories, int skip)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        var heldOut = new int[histories.Buyers];
        for (var b = 0; b < histories.Buyers; b++)
        {
            var items = histories.ItemsOf(b);
            heldOut[b] = items.Length >= skip + 2 ? items[^(skip + 1)] : -1;
        }
        // A buyer too short to evaluate still must not leak the held-out positions into training.
        var train = histories.DropLast(b => histories.Length(b) >= skip + 2 ? skip + 1 : skip);
        return new HoldoutSplit(train, heldOut);
    }
}
