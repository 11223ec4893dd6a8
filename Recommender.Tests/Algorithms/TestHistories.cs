using Recommender.Training.Algorithms;

namespace Recommender.Tests.Algorithms;

/// <summary>Small time-ordered buyer histories with known structure, for the sequence-aware models.</summary>
internal static class TestHistories
{
    public static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Histories from item lists, one day apart, every entry weight 1.</summary>
    public static BuyerHistories Of(int items, params int[][] buyers)
    {
        var rowStart = new int[buyers.Length + 1];
        for (var b = 0; b < buyers.Length; b++) rowStart[b + 1] = rowStart[b] + buyers[b].Length;
        var itemIndices = buyers.SelectMany(b => b).ToArray();
        var ticks = buyers.SelectMany(b => b.Select((_, n) => Start.AddDays(n).Ticks)).ToArray();
        var weights = Enumerable.Repeat(1f, itemIndices.Length).ToArray();
        return new BuyerHistories(buyers.Length, items, rowStart, itemIndices, ticks, weights);
    }

    /// <summary>
    /// Two disjoint tastes: even buyers buy from items 0..4, odd buyers from items 5..9, each
    /// buyer all five but one (buyer b misses item b mod 5 of their taste). A good model ranks
    /// the missing item first.
    /// </summary>
    public static BuyerHistories TwoTastes(int buyers, out int[] withheld)
    {
        var rows = new int[buyers][];
        withheld = new int[buyers];
        for (var b = 0; b < buyers; b++)
        {
            var first = b % 2 == 0 ? 0 : 5;
            var missing = withheld[b] = first + b % 5;
            rows[b] = Enumerable.Range(first, 5).Where(i => i != missing).ToArray();
        }
        return Of(10, rows);
    }
}
