using System.Diagnostics;
using Npgsql;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;
using Recommender.Training.Evaluation;

namespace Recommender.Training.Commands;

/// <summary>
/// <c>train --database-url URL [--models DIR] [--keep N] [--algorithm auto|itemknn|als|svd|popularity] [--repeat N]</c>:
/// one training from a shop database to a published zip, as the service's scheduled job does it,
/// timed phase by phase. With --repeat the later runs show the cost once the code is warm.
/// </summary>
public static class TrainCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new OptionArguments(args);
        var url = options.String("database-url") ?? Environment.GetEnvironmentVariable("DATABASE_URL")
            ?? throw new ArgumentException("Give --database-url or set DATABASE_URL.");
        var settings = new TrainingSettings { Algorithm = options.String("algorithm") ?? TrainingSettings.Auto };
        settings.Validate();
        var chooser = new CandidateChooser(TimeProvider.System);
        var store = new ModelStore(options.String("models") ?? "models", options.Int("keep") ?? 5);
        var repeat = options.Int("repeat") ?? 1;
        options.RejectUnknown();
        await using var dataSource = NpgsqlDataSource.Create(ShopConnectionString.ToNpgsql(url));
        var shop = new PostgresShopDatabase(dataSource);

        var serving = store.List() is [var newest, ..] ? TryManifest(newest.Path) : null;
        for (var run = 1; run <= repeat; run++)
        {
            var clock = Stopwatch.StartNew();
            var log = await InteractionLog.ReadAsync(shop, settings.Weights, CancellationToken.None);
            var products = new Dictionary<string, ProductRow>(StringComparer.Ordinal);
            await foreach (var row in shop.ReadProductsAsync(CancellationToken.None)) products[row.Id] = row;
            log.Describe(products);
            var read = clock.Elapsed.TotalSeconds;
            var choice = chooser.Choose(log, settings, serving, CancellationToken.None);
            var (candidate, selected) = (choice.Candidate, choice.Selected);
            var select = clock.Elapsed.TotalSeconds - read;
            var model = ModelTrainer.Train(log, settings, candidate, store.NextVersion(), CancellationToken.None, choice.Selection);
            serving = model.Manifest;
            var fit = clock.Elapsed.TotalSeconds - read - select;
            var path = store.Publish(model);
            var total = clock.Elapsed.TotalSeconds;
            Console.WriteLine(
                $"run {run}: {log.Count} interactions, {log.Buyers.Count} buyers, {log.Products.Count} products; " +
                $"read {read:F3}s + {(selected ? $"select {select:F3}s + " : "")}train {fit:F3}s + publish {total - read - select - fit:F3}s = {total:F3}s; " +
                $"{candidate} → {model.Manifest.Algorithm}, holdout ndcg@10 {model.Manifest.Metrics.GetValueOrDefault("ndcg@10"):F4} " +
                $"(popularity {model.Manifest.Metrics.GetValueOrDefault("popularity_ndcg@10"):F4}) → {path}");
        }
        return 0;
    }

    /// <summary>The newest published model's manifest, whose selection a new run reuses; null when it does not read.</summary>
    private static ModelManifest? TryManifest(string path)
    {
        try { return ModelStore.Load(path).Manifest; }
        catch (InvalidDataException) { return null; }
    }
}
