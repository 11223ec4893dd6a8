namespace Recommender.Training.Algorithms.Ranking;

/// <summary>
/// One thread's working memory for ranking a buyer (<see cref="RankingFeatures"/>,
/// <see cref="RankedModel"/>), kept between requests. Renting the same few sizes from
/// <c>ArrayPool</c> several times per request sent it to its shared, locked stacks and, when
/// those ran dry under load, to the allocator; a request now neither rents nor allocates.
/// Grown on demand, never shrunk. Nothing that holds it calls back into code that takes it.
/// </summary>
internal sealed class RankingScratch
{
    [ThreadStatic]
    private static RankingScratch? _current;

    /// <summary>The item source's score of every product (−∞ for the owned ones), as the last ranking left it.</summary>
    public float[] ItemScores { get; private set; } = [];

    /// <summary>The best of <see cref="ItemScores"/>; 0 when the history reaches nothing.</summary>
    public float ItemBest { get; set; }

    /// <summary>Each candidate's rank under each proposing source.</summary>
    public float[] RankOf { get; private set; } = [];

    public float[] AlsScores { get; private set; } = [];
    public float[] AlsRanks { get; private set; } = [];
    public int[] Best { get; private set; } = [];

    /// <summary>The candidates, their feature rows and the trees' scores of them (<see cref="RankedModel"/>'s own).</summary>
    public int[] Candidates { get; private set; } = [];

    public float[] Features { get; private set; } = [];
    public float[] Ranked { get; private set; } = [];

    /// <summary>This thread's scratch, with room for <paramref name="products"/> products and the options' candidates.</summary>
    public static RankingScratch For(int products, RankerOptions options)
    {
        var scratch = _current ??= new RankingScratch();
        var candidates = RankingFeatures.MaxCandidates(options);
        if (scratch.ItemScores.Length < products) scratch.ItemScores = new float[products];
        if (scratch.Candidates.Length < candidates)
        {
            scratch.Candidates = new int[candidates];
            scratch.Features = new float[candidates * RankingFeatures.Count];
            scratch.Ranked = new float[candidates];
            scratch.RankOf = new float[candidates * RankingFeatures.Proposers];
            scratch.AlsScores = new float[candidates];
            scratch.AlsRanks = new float[candidates];
        }
        if (scratch.Best.Length < options.CandidatesPerSource) scratch.Best = new int[options.CandidatesPerSource];
        return scratch;
    }
}
