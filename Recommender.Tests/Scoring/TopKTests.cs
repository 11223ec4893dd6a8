using Recommender.Training.Scoring;

namespace Recommender.Tests.Scoring;

public sealed class TopKTests
{
    [Fact]
    public void Picks_the_largest_scores_best_first_and_never_excluded_ones()
    {
        var random = new Random(3);
        var scores = Enumerable.Range(0, 1003).Select(_ => (float)random.NextDouble()).ToArray();
        for (var i = 0; i < scores.Length; i += 7) scores[i] = float.NegativeInfinity;
        scores[500] = float.NaN;

        var best = new int[25];
        var found = TopK.Select(scores, best);

        var expected = Enumerable.Range(0, scores.Length)
            .Where(i => float.IsFinite(scores[i]))
            .OrderByDescending(i => scores[i]).ThenBy(i => i)
            .Take(25);
        Assert.Equal(25, found);
        Assert.Equal(expected, best);
    }

    [Fact]
    public void Returns_fewer_when_fewer_can_be_shown_and_breaks_ties_by_lower_index()
    {
        float[] scores = [1, float.NegativeInfinity, 1, 2, float.NegativeInfinity, 1, 1, 1, 1, 1, 1];
        var best = new int[5];

        Assert.Equal(5, TopK.Select(scores, best));
        Assert.Equal([3, 0, 2, 5, 6], best);

        var few = new int[5];
        Assert.Equal(2, TopK.Select(new[] { float.NegativeInfinity, 3f, float.NegativeInfinity, 4f }, few));
        Assert.Equal([3, 1], few[..2]);
    }

    private static int[] Reference(float[] scores, int k) => Enumerable.Range(0, scores.Length)
        .Where(i => !float.IsNaN(scores[i]) && scores[i] != float.NegativeInfinity)
        .OrderByDescending(i => scores[i]).ThenBy(i => i)
        .Take(k).ToArray();

    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var order in new[] { "random", "ascending", "descending", "few-values", "excluded" })
            foreach (var (n, k) in new[] { (12_101, 600), (12_101, 5_000), (12_101, 12_101), (3_000, 20_000), (1_000, 1), (17, 9) })
                data.Add(order, n, k);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_a_full_sort_for_any_k_and_any_order_of_scores(string order, int n, int k)
    {
        var random = new Random(n + k);
        var scores = order switch
        {
            "ascending" => Enumerable.Range(0, n).Select(i => (float)i).ToArray(),
            "descending" => Enumerable.Range(0, n).Select(i => (float)(n - i)).ToArray(),
            "few-values" => Enumerable.Range(0, n).Select(_ => (float)random.Next(4)).ToArray(),   // ties everywhere
            _ => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(),
        };
        if (order == "excluded")
            for (var i = 0; i < n; i++)
                if (random.Next(3) == 0) scores[i] = float.NegativeInfinity;

        var best = new int[k];
        var found = TopK.Select(scores, best);

        var expected = Reference(scores, k);
        Assert.Equal(expected.Length, found);
        Assert.Equal(expected, best[..found]);
    }

    [Fact]
    public void Infinite_scores_rank_first_and_negative_zero_ties_with_zero()
    {
        float[] scores = [0f, float.PositiveInfinity, -0f, 1f, float.NaN, -1f, float.PositiveInfinity];

        var best = new int[7];
        var found = TopK.Select(scores, best);

        Assert.Equal([1, 6, 3, 0, 2, 5], best[..found]);
    }
}
