using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Recommender.Training.Evaluation;

/// <summary>
/// <c>evaluate --dataset PATH [--algorithm NAME] [--option key=value …] [--split test|validation] [--budget SECONDS]</c>:
/// the leave-last-out measurement on a benchmark file. Without <c>--algorithm</c> it evaluates the
/// default model, <see cref="ModelSelection"/> choosing per data set on the training part's own
/// most recent items (the validation items), then refitting the winner. The last line of output
/// is one JSON object; peak memory is <see cref="Process.PeakWorkingSet64"/> at the end.
/// </summary>
public static class EvaluateCommand
{
    public const string Auto = "auto";

    /// <summary>Adds one <c>--option key=value</c> to <paramref name="options"/>.</summary>
    internal static void AddOption(Dictionary<string, string> options, string keyValue)
    {
        var pair = keyValue.Split('=', 2);
        if (pair.Length != 2) throw new ArgumentException("--option takes key=value.");
        options[pair[0]] = pair[1];
    }

    public static int Run(string[] args)
    {
        string? dataset = null, algorithm = null, splitName = "test";
        var budget = 60.0;
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var n = 1; n < args.Length; n++)
        {
            string Next() => n + 1 < args.Length ? args[++n] : throw new ArgumentException($"{args[n]} needs a value.");
            switch (args[n])
            {
                case "--dataset": dataset = Next(); break;
                case "--algorithm": algorithm = Next(); break;
                case "--split": splitName = Next(); break;
                case "--budget": budget = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--option": AddOption(options, Next()); break;
                default: throw new ArgumentException($"Unknown argument '{args[n]}'.");
            }
        }
        if (dataset is null) throw new ArgumentException("usage: evaluate --dataset PATH [--algorithm NAME] [--option key=value …] [--split test|validation]");

        var (histories, users, items) = SequenceDataset.Read(dataset);
        var split = splitName switch
        {
            "test" => LeaveLastOut.Test(histories),
            "validation" => LeaveLastOut.Validation(histories),
            _ => throw new ArgumentException("--split is test or validation."),
        };
        Console.WriteLine($"{Path.GetFileName(dataset)}: {users.Count} users, {items.Count} items, {histories.Count} interactions; " +
            $"{split.EvaluatedBuyers} held-out {splitName} items");

        var clock = Stopwatch.StartNew();
        Candidate candidate;
        if (algorithm is null or Auto)
        {
            if (options.Count > 0) throw new ArgumentException("--option needs --algorithm.");
            var selection = ModelSelection.Select(split.Train,
                new ModelSelectionOptions { TimeBudget = TimeSpan.FromSeconds(budget) }, CancellationToken.None);
            foreach (var tried in selection.Tried)
                Console.WriteLine($"  selection: {tried.Candidate,-70} ndcg@10 {tried.Metrics.Ndcg10:F4}  hr@10 {tried.Metrics.HitRate10:F4}  {tried.Seconds:F1}s");
            Console.WriteLine($"  chosen: {selection.Winner} (popularity ndcg@10 {selection.PopularityMetrics.Ndcg10:F4})");
            candidate = selection.Winner;
        }
        else
        {
            candidate = Candidate.Of(algorithm).With(options);
        }
        var model = candidate.Fit(split.Train, CancellationToken.None);
        if (model.Report is { } report)
            Console.WriteLine($"  {candidate.Name} report: {JsonSerializer.Serialize(report)}");
        if (model.Verdict is { } verdict)
        {
            Console.WriteLine($"  {verdict.Reason}");
            model = verdict.Instead;
        }
        var trainSeconds = clock.Elapsed.TotalSeconds;
        var metrics = Evaluator.Evaluate(model, split, 0, CancellationToken.None);
        Console.WriteLine($"  {candidate}: ndcg@10 {metrics.Ndcg10:F4} hr@10 {metrics.HitRate10:F4} ndcg@20 {metrics.Ndcg20:F4} hr@20 {metrics.HitRate20:F4}; " +
            $"trained in {trainSeconds:F1}s, evaluated in {clock.Elapsed.TotalSeconds - trainSeconds:F1}s");

        var result = new Dictionary<string, object>
        {
            ["dataset"] = Path.GetFileName(dataset),
            ["algorithm"] = algorithm is null ? $"{Auto}:{candidate}" : candidate.ToString(),
            ["split"] = splitName,
            ["users"] = users.Count,
            ["items"] = items.Count,
            ["interactions"] = histories.Count,
            ["evaluated_users"] = metrics.Users,
            ["hr@10"] = Math.Round(metrics.HitRate10, 5),
            ["ndcg@10"] = Math.Round(metrics.Ndcg10, 5),
            ["hr@20"] = Math.Round(metrics.HitRate20, 5),
            ["ndcg@20"] = Math.Round(metrics.Ndcg20, 5),
            ["train_seconds"] = Math.Round(trainSeconds, 2),
            ["peak_memory_mb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
        };
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }
}
