using Recommender.Training.Algorithms;

namespace Recommender.Training.Evaluation;

/// <summary>
/// The holdout of a shop: per buyer, the whole latest basket (every interaction at their latest
/// timestamp; the items of one order share its <c>createdAt</c>) is held out and all of it is
/// relevant. Holding out one item of the last order and training on its siblings would measure
/// "complete this order", which flatters models that learn what is bought together.
/// </summary>
/// <remarks>
/// Where every interaction has its own timestamp (the benchmark files) this is exactly
/// <see cref="LeaveLastOut.Test"/>. Buyers whose whole history is one basket are not evaluated
/// (nothing before it to learn their taste from) and keep their history for training.
/// </remarks>
public static class LatestBasket
{
    public static HoldoutSplit Holdout(BuyerHistories histories)
    {
        ArgumentNullException.ThrowIfNull(histories);
        var heldOut = new int[histories.Buyers];
        var basketLength = new int[histories.Buyers];
        var start = new int[histories.Buyers + 1];
        var items = new List<int>();
        for (var b = 0; b < histories.Buyers; b++)
        {
            var length = LatestBasketLength(histories.TicksOf(b));
            heldOut[b] = -1;
            if (length < histories.Length(b))
            {
                basketLength[b] = length;
                // A set: distinct products in index order, so the split does not depend on the order
                // the database returned the rows of one order in.
                var basket = histories.ItemsOf(b)[^length..].ToArray().Distinct().Order();
                items.AddRange(basket);
                heldOut[b] = items[start[b]];
            }
            start[b + 1] = items.Count;
        }
        var train = histories.DropLast(b => basketLength[b]);
        return new HoldoutSplit(train, heldOut) { Baskets = (start, items.ToArray()) };
    }

    /// <summary>How many of the last entries share the latest timestamp (histories are in time order).</summary>
    private static int LatestBasketLength(ReadOnlySpan<long> ticks)
    {
        if (ticks.IsEmpty) return 0;
        var n = 1;
        while (n < ticks.Length && ticks[^(n + 1)] == ticks[^1]) n++;
        return n;
    }
}
