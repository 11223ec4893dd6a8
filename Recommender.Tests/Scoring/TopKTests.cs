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
}
