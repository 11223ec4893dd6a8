using System.Diagnostics;
using System.Text.Json;
using Recommender.Training.Algorithms;
using Recommender.Training.Algorithms.Ranking;
using Recommender.Training.Evaluation;
using Recommender.Training.Scoring;

namespace Recommender.Training.Benchmarks;

/// <summary>
/// <c>bench-ranked</c>: what one request of the learned ranker costs, part by part, on one core.
/// Fits the ranker on a whole data set file, then for a sample of buyers (their profiles built
/// beforehand, as serving caches them) times the candidates and their features, the trees over
/// them, and the model's whole <c>Score</c>; beside it, the item-to-item model's
/// <c>Score</c> and top 10, the request the ranker replaces. The last line is one JSON object.
/// </summary>
public static class BenchRankedCommand
{
    public const string Usage = "bench-ranked --dataset PATH [--buyers 2000] [--rounds 5] [--option key=value ...]";

    public static int Run(string[] args)
    {
        string? dataset = null;
        int buyers = 2000, rounds = 5;
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var n = 0; n < args.Length; n++)
        {
            string Next() => n + 1 < args.Length ? args[++n] : throw new ArgumentException($"{args[n]} needs a value.");
            int Whole() => int.TryParse(Next(), System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value : throw new ArgumentException($"{args[n - 1]} takes a whole number.");
            switch (args[n])
            {
                case "--dataset": dataset = Next(); break;
                case "--buyers": buyers = Whole(); break;
                case "--rounds": rounds = Whole(); break;
                case "--option": EvaluateCommand.AddOption(options, Next()); break;
                default: throw new ArgumentException($"Unknown argument '{args[n]}'.");
            }
        }
        if (dataset is null || buyers < 1 || rounds < 1) throw new ArgumentException("usage: Recommender.Training " + Usage);

        var (histories, _, _) = SequenceDataset.Read(dataset);
        var rankerOptions = (RankerOptions)OptionBinding.Apply(new RankerOptions(), options);
        var clock = Stopwatch.StartNew();
        var fitted = new RankerAlgorithm().Fit(histories, rankerOptions, CancellationToken.None);
        var fitSeconds = clock.Elapsed.TotalSeconds;
        if (fitted is not RankedModel { Trees: { } trees } ranked)
        {
            Console.WriteLine($"no ranker was learned: {fitted.Verdict?.Reason}");
            return 1;
        }
        var item = ranked.Sources.Item;
        Console.WriteLine($"{Path.GetFileName(dataset)}: {histories.Buyers} buyers, {histories.Items} products; ranker fitted in {fitSeconds:F1} s " +
            $"({trees.Trees} trees of mean depth {trees.MeanDepth:F1}, {rankerOptions.CandidatesPerSource} candidates per source, ALS {rankerOptions.AlsFactors} factors)");

        var sample = Enumerable.Range(0, Math.Min(buyers, histories.Buyers)).Select(n => (int)((long)n * histories.Buyers / Math.Min(buyers, histories.Buyers))).ToArray();
        var profiles = sample.Select(b => (RankedProfile)ranked.ProfileOf(b, histories)).ToArray();
        var itemProfiles = profiles.Select(p => p.Item).ToArray();
        var max = RankingFeatures.MaxCandidates(rankerOptions);
        var candidates = new int[max];
        var features = new float[max * RankingFeatures.Count];
        var treeScores = new float[max];
        var scores = new float[histories.Items];
        var best = new int[10];

        double Time(Action<int> request)
        {
            for (var b = 0; b < Math.Min(200, profiles.Length); b++) request(b);  // warm up
            var runs = new List<double>();
            for (var r = 0; r < rounds; r++)
            {
                var round = Stopwatch.StartNew();
                for (var b = 0; b < profiles.Length; b++) request(b);
                runs.Add(round.Elapsed.TotalMicroseconds / profiles.Length);
            }
            return runs.Order().ElementAt(runs.Count / 2);
        }

        // Each buyer's own rows: the trees' branches must not learn one buyer's.
        var rows = profiles.Select(p =>
        {
            var count = RankingFeatures.Compute(ranked.Sources, p, rankerOptions, candidates, features);
            return (Count: count, Features: features[..(count * RankingFeatures.Count)]);
        }).ToArray();
        var perBuyer = rows.Average(r => r.Count);

        var featuresUs = Time(b => RankingFeatures.Compute(ranked.Sources, profiles[b], rankerOptions, candidates, features));
        var treesUs = Time(b => trees.Score(rows[b].Features, rows[b].Count, treeScores));
        var rankedUs = Time(b => { ranked.Score(profiles[b], scores); TopK.Select(scores, best); });
        var itemUs = Time(b =>
        {
            item.Score(itemProfiles[b], scores, rankEverything: true);
            ModelScorer.ExcludeOwned(profiles[b].History.Owned, scores);
            TopK.Select(scores, best);
        });

        Console.WriteLine($"per request, one core, median of {rounds} rounds over {profiles.Length} buyers ({perBuyer:F0} candidates each):");
        Console.WriteLine($"  candidates and features  {featuresUs,8:F1} µs");
        Console.WriteLine($"  trees                    {treesUs,8:F1} µs");
        Console.WriteLine($"  ranked Score + top 10    {rankedUs,8:F1} µs");
        Console.WriteLine($"  item-to-item + top 10    {itemUs,8:F1} µs");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            dataset = Path.GetFileName(dataset),
            candidates = Math.Round(perBuyer, 1),
            trees = trees.Trees,
            featuresUs = Math.Round(featuresUs, 1),
            treesUs = Math.Round(treesUs, 1),
            rankedUs = Math.Round(rankedUs, 1),
            itemUs = Math.Round(itemUs, 1),
        }));
        return 0;
    }
}
