using Recommender.Training.Data;
using Recommender.Training.Matrix;

namespace Recommender.Training.Algorithms;

/// <summary>
/// Every buyer's interactions in time order (oldest first), one row per buyer, as flat arrays:
/// the entries of buyer b are <c>Items/Ticks/Weights[RowStart[b]..RowStart[b+1]]</c>.
/// Unlike the summed <see cref="CsrMatrix"/>, repeats are kept and order matters, which is what
/// sequential and recency-aware models read. <see cref="Weights"/> holds the kind weight only;
/// recency decay is applied by the model from <see cref="Ticks"/> (see <see cref="HistoryWeights"/>).
/// </summary>
public sealed class BuyerHistories
{
    public BuyerHistories(int buyers, int items, int[] rowStart, int[] itemIndices, long[] ticks, float[] weights)
    {
        if (rowStart.Length != buyers + 1 || rowStart[buyers] != itemIndices.Length)
            throw new ArgumentException("rowStart must have buyers + 1 entries ending at the entry count.");
        if (ticks.Length != itemIndices.Length || weights.Length != itemIndices.Length)
            throw new ArgumentException("items, ticks and weights must have one entry per interaction.");
        foreach (var item in itemIndices)
            if ((uint)item >= (uint)items)
                throw new ArgumentOutOfRangeException(nameof(itemIndices), $"Item index {item} is outside 0..{items - 1}.");
        Buyers = buyers;
        Items = items;
        RowStart = rowStart;
        ItemIndices = itemIndices;
        Ticks = ticks;
        Weights = weights;
    }

    public int Buyers { get; }
    public int Items { get; }

    /// <summary>What the shop says of each item, when it was given (a shop's log); null for a benchmark file.</summary>
    public ProductContent? Content
    {
        get => _content;
        init => _content = value is null || value.Products == Items ? value
            : throw new ArgumentException($"The content describes {value.Products} products; the histories have {Items}.", nameof(value));
    }

    private readonly ProductContent? _content;
    public int[] RowStart { get; }
    public int[] ItemIndices { get; }
    public long[] Ticks { get; }
    public float[] Weights { get; }
    public int Count => ItemIndices.Length;

    public int Length(int buyer) => RowStart[buyer + 1] - RowStart[buyer];
    public ReadOnlySpan<int> ItemsOf(int buyer) => ItemIndices.AsSpan(RowStart[buyer], Length(buyer));
    public ReadOnlySpan<long> TicksOf(int buyer) => Ticks.AsSpan(RowStart[buyer], Length(buyer));
    public ReadOnlySpan<float> WeightsOf(int buyer) => Weights.AsSpan(RowStart[buyer], Length(buyer));

    /// <summary>The buyer×item matrix of summed kind weights (what the factorizations train on).</summary>
    public CsrMatrix ToMatrix() =>
        CsrMatrix.FromCoordinates(Buyers, Items, BuyerOfEachEntry(), ItemIndices, Weights);

    /// <summary>
    /// The buyer×item matrix of kind weight × recency decay summed, "now" being each buyer's own
    /// latest interaction (a per-buyer constant factor does not change that buyer's ranking).
    /// </summary>
    public CsrMatrix ToMatrix(double halfLifeDays)
    {
        if (halfLifeDays <= 0) return ToMatrix();
        var values = new float[Count];
        for (var b = 0; b < Buyers; b++)
        {
            var ticks = TicksOf(b);
            if (ticks.IsEmpty) continue;
            HistoryWeights.ApplyDecay(WeightsOf(b), ticks, halfLifeDays, ticks[^1], values.AsSpan(RowStart[b], ticks.Length));
        }
        return CsrMatrix.FromCoordinates(Buyers, Items, BuyerOfEachEntry(), ItemIndices, values);
    }

    /// <summary>Keeps the first <c>Length(b) − drop(b)</c> entries of every buyer (for holdout splits).</summary>
    public BuyerHistories DropLast(Func<int, int> drop)
    {
        var rowStart = new int[Buyers + 1];
        for (var b = 0; b < Buyers; b++)
            rowStart[b + 1] = rowStart[b] + Math.Max(0, Length(b) - drop(b));
        var items = new int[rowStart[Buyers]];
        var ticks = new long[items.Length];
        var weights = new float[items.Length];
        for (var b = 0; b < Buyers; b++)
        {
            var n = rowStart[b + 1] - rowStart[b];
            ItemIndices.AsSpan(RowStart[b], n).CopyTo(items.AsSpan(rowStart[b]));
            Ticks.AsSpan(RowStart[b], n).CopyTo(ticks.AsSpan(rowStart[b]));
            Weights.AsSpan(RowStart[b], n).CopyTo(weights.AsSpan(rowStart[b]));
        }
        return new BuyerHistories(Buyers, Items, rowStart, items, ticks, weights) { Content = Content };
    }

    /// <summary>
    /// Groups a shop's interaction log by buyer, each buyer's rows ordered by time, weighted by
    /// kind. Rows at the same time (the items of one order) are ordered by product id, so the
    /// histories do not depend on the order the database returned the rows in.
    /// </summary>
    public static BuyerHistories FromLog(InteractionLog log, InteractionWeights weights)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(weights);
        var buyers = log.Buyers.Count;
        var rowStart = new int[buyers + 1];
        foreach (var b in log.BuyerIndices) rowStart[b + 1]++;
        for (var b = 0; b < buyers; b++) rowStart[b + 1] += rowStart[b];
        var next = rowStart[..buyers];
        var items = new int[log.Count];
        var ticks = new long[log.Count];
        var values = new float[log.Count];
        var buyerOf = log.BuyerIndices;
        var productOf = log.ProductIndices;
        var kinds = log.Kinds;
        var createdAt = log.CreatedAtTicks;
        for (var n = 0; n < log.Count; n++)
        {
            var at = next[buyerOf[n]]++;
            items[at] = productOf[n];
            ticks[at] = createdAt[n];
            values[at] = weights.WeightOf(kinds[n]);
        }
        var order = new int[log.Count];
        for (var b = 0; b < buyers; b++)
        {
            var from = rowStart[b];
            var length = rowStart[b + 1] - from;
            if (length < 2 || IsSorted(ticks.AsSpan(from, length), items.AsSpan(from, length), log.Products)) continue;
            var slice = order.AsSpan(from, length);
            for (var i = 0; i < length; i++) slice[i] = i;
            var keys = ticks.AsSpan(from, length).ToArray();
            var index = slice.ToArray();
            var productOfEntry = items.AsSpan(from, length).ToArray();
            Array.Sort(index, (x, y) => Compare(keys[x], productOfEntry[x], x, keys[y], productOfEntry[y], y, log.Products));
            var itemCopy = items.AsSpan(from, length).ToArray();
            var weightCopy = values.AsSpan(from, length).ToArray();
            for (var i = 0; i < length; i++)
            {
                items[from + i] = itemCopy[index[i]];
                ticks[from + i] = keys[index[i]];
                values[from + i] = weightCopy[index[i]];
            }
        }
        return new BuyerHistories(buyers, log.Products.Count, rowStart, items, ticks, values) { Content = log.Content };
    }

    private static bool IsSorted(ReadOnlySpan<long> ticks, ReadOnlySpan<int> products, IdMap ids)
    {
        for (var i = 1; i < ticks.Length; i++)
            if (Compare(ticks[i - 1], products[i - 1], i - 1, ticks[i], products[i], i, ids) > 0) return false;
        return true;
    }

    /// <summary>By time, then product id (ordinal), then log position (one product twice at one time).</summary>
    private static int Compare(long ticksX, int productX, int x, long ticksY, int productY, int y, IdMap ids)
    {
        if (ticksX != ticksY) return ticksX.CompareTo(ticksY);
        if (productX != productY) return string.CompareOrdinal(ids[productX], ids[productY]);
        return x.CompareTo(y);
    }

    private int[] BuyerOfEachEntry()
    {
        var buyerOf = new int[Count];
        for (var b = 0; b < Buyers; b++)
            buyerOf.AsSpan(RowStart[b], Length(b)).Fill(b);
        return buyerOf;
    }
}
