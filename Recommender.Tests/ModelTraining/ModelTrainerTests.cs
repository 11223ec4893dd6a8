using Microsoft.Extensions.Time.Testing;
using Recommender.Training;
using Recommender.Training.Algorithms.Als;
using Recommender.Training.Algorithms.Popularity;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;
using Recommender.Training.Evaluation;

namespace Recommender.Tests.ModelTraining;

public sealed class ModelTrainerTests
{
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>60 buyers, two tastes of six products each; every buyer ends on the popular "hot" product.</summary>
    private static InteractionLog TwoTastes()
    {
        var log = new InteractionLog();
        for (var buyer = 0; buyer < 60; buyer++)
        {
            var taste = buyer % 2 == 0 ? "mug" : "scarf";
            var at = Start.AddDays(buyer);
            for (var i = 0; i < 5; i++)
                log.Add(new ShopInteraction($"b{buyer}", $"{taste}-{(buyer + i) % 6}", InteractionKind.Order, at = at.AddHours(1)));
            log.Add(new ShopInteraction($"b{buyer}", "hot", InteractionKind.Cart, at.AddHours(1)));
        }
        return log;
    }

    [Fact]
    public void An_item_model_survives_the_zip_and_scores_the_same_after_loading()
    {
        var settings = new TrainingSettings { Algorithm = "itemknn" };
        var model = ModelTrainer.Train(TwoTastes(), settings, settings.FixedCandidate!, version: 3, CancellationToken.None);
        var buffer = new MemoryStream();

        ModelArtifact.Write(model, buffer);
        buffer.Position = 0;
        var loaded = ModelArtifact.Read(buffer);

        Assert.Equal("itemknn", loaded.Manifest.Algorithm);
        var before = new float[model.Products.Count];
        var after = new float[loaded.Products.Count];
        model.Fitted.Score(model.Fitted.ProfileOf(7, model.Histories), before, rankEverything: true);
        loaded.Fitted.Score(loaded.Fitted.ProfileOf(7, loaded.Histories), after, rankEverything: true);
        Assert.Equal(before, after);
        Assert.Equal(model.Trending, loaded.Trending);
    }

    [Fact]
    public void The_holdout_metrics_of_the_model_and_of_popularity_are_recorded()
    {
        var settings = new TrainingSettings { Algorithm = "itemknn" };

        var model = ModelTrainer.Train(TwoTastes(), settings, settings.FixedCandidate!, 1, CancellationToken.None);

        Assert.Null(model.Manifest.FallbackReason);
        Assert.Equal(60, model.Manifest.Metrics["holdout_buyers"]);
        Assert.InRange(model.Manifest.Metrics["ndcg@10"], 0, 1);
        Assert.True(model.Manifest.Metrics.ContainsKey("popularity_ndcg@10"));
    }

    [Fact]
    public void A_model_that_does_worse_than_popularity_on_the_holdout_is_not_published()
    {
        // Regularization this strong leaves ALS with no signal, while "hot", every buyer's
        // latest product, is the most popular one in every holdout's training part.
        var settings = new TrainingSettings
        {
            Algorithm = "als",
            Als = new() { Factors = 2, Regularization = 1_000_000, Iterations = 2 },
        };
        var log = TwoTastes();
        for (var buyer = 0; buyer < 60; buyer++)
            log.Add(new ShopInteraction($"extra{buyer}", "hot", InteractionKind.Order, Start));

        var model = ModelTrainer.Train(log, settings, settings.FixedCandidate!, 1, CancellationToken.None);

        Assert.Equal("popularity", model.Manifest.Algorithm);
        Assert.Contains("below popularity", model.Manifest.FallbackReason);
        Assert.IsType<PopularityModel>(model.Fitted);
        Assert.True(model.Manifest.Metrics["ndcg@10"] < model.Manifest.Metrics["popularity_ndcg@10"]);
    }

    [Fact]
    public void Auto_selection_travels_in_the_manifest_and_is_reused_until_the_shop_changes_by_a_quarter()
    {
        var settings = new TrainingSettings();
        var log = TwoTastes();

        var first = new CandidateChooser(TimeProvider.System).Choose(log, settings, serving: null, CancellationToken.None);
        var model = ModelTrainer.Train(log, settings, first.Candidate, 1, CancellationToken.None, first.Selection);
        // Another replica that serves this model reuses its choice rather than selecting again.
        var again = new CandidateChooser(TimeProvider.System).Choose(log, settings, model.Manifest, CancellationToken.None);
        for (var i = 0; i < log.Count / 3; i++)
            log.Add(new ShopInteraction($"new{i}", "hot", InteractionKind.Order, Start));
        var afterGrowth = new CandidateChooser(TimeProvider.System).Choose(log, settings, model.Manifest, CancellationToken.None);

        Assert.True(first.Selected);
        Assert.Equal(first.Candidate.ToString(), model.Manifest.Selection?.ToCandidate().ToString());
        Assert.False(again.Selected);
        Assert.Equal(first.Candidate.ToString(), again.Candidate.ToString());
        Assert.True(afterGrowth.Selected);
    }

    [Fact]
    public void A_selection_expires_after_the_selection_interval()
    {
        var clock = new FakeTimeProvider(Start);
        var settings = new TrainingSettings { SelectionIntervalHours = 24 };
        var log = TwoTastes();
        var chooser = new CandidateChooser(clock);
        var first = chooser.Choose(log, settings, serving: null, CancellationToken.None);
        var manifest = ModelTrainer.Train(log, settings, first.Candidate, 1, CancellationToken.None, first.Selection).Manifest;

        clock.Advance(TimeSpan.FromHours(23));
        var withinInterval = chooser.Choose(log, settings, manifest, CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(2));
        var afterInterval = chooser.Choose(log, settings, manifest, CancellationToken.None);

        Assert.False(withinInterval.Selected);
        Assert.True(afterInterval.Selected);
    }

    [Fact]
    public void A_fixed_algorithm_records_no_selection()
    {
        var settings = new TrainingSettings { Algorithm = "itemknn" };

        var choice = new CandidateChooser(TimeProvider.System).Choose(TwoTastes(), settings, serving: null, CancellationToken.None);

        Assert.False(choice.Selected);
        Assert.Null(choice.Selection);
    }

    [Fact]
    public void Unknown_algorithms_and_options_are_refused_by_validation()
    {
        Assert.Throws<ArgumentException>(() => new TrainingSettings { Algorithm = "magic" }.Validate());
        Assert.Throws<ArgumentException>(() => new TrainingSettings { Algorithm = "als", Als = new() { Factors = 0 } }.Validate());
        Assert.Throws<ArgumentException>(() => new TrainingSettings { Algorithm = "als", Als = new() { Regularization = float.NaN } }.Validate());
        Assert.Throws<ArgumentException>(() => new TrainingSettings { ItemKnn = new() { Alpha = 2 } }.Validate());
        Assert.Throws<ArgumentException>(() => Candidate.Of(AlsAlgorithm.AlgorithmName, ("factorz", 8)));
        Assert.Throws<ArgumentException>(() => Candidate.Of(AlsAlgorithm.AlgorithmName).With([KeyValuePair.Create("factors", "many")]));
        new TrainingSettings { Algorithm = "itemknn", ItemKnn = new() { Neighbours = 50, HalfLifeDays = 4 } }.Validate();
    }
}
