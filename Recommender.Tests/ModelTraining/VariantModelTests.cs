using Recommender.Training;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;
using Recommender.Training.Evaluation;

namespace Recommender.Tests.ModelTraining;

/// <summary>An experiment's variants are fitted on the same histories and travel in the same model zip.</summary>
public sealed class VariantModelTests
{
    private static InteractionLog Log()
    {
        var log = new InteractionLog();
        var at = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var buyer = 0; buyer < 40; buyer++)
            for (var i = 0; i < 4; i++)
                log.Add(new ShopInteraction($"b{buyer}", $"{(buyer % 2 == 0 ? "mug" : "scarf")}-{(buyer + i) % 5}", InteractionKind.Order, at = at.AddHours(1)));
        return log;
    }

    [Fact]
    public void Each_variant_model_survives_the_zip_beside_the_default_and_scores_the_same_after_loading()
    {
        var settings = new TrainingSettings { Algorithm = "itemknn", HoldoutEvaluation = false };
        var model = ModelTrainer.Train(Log(), settings, settings.FixedCandidate!, version: 1, CancellationToken.None,
            variants: [("als-big", Candidate.Of("als", ("factors", 8), ("iterations", 3))), ("pop", Candidate.Popularity)]);
        var buffer = new MemoryStream();

        ModelArtifact.Write(model, buffer);
        buffer.Position = 0;
        var loaded = ModelArtifact.Read(buffer);

        Assert.Equal("itemknn", loaded.Fitted.Algorithm);
        Assert.Equal(["als-big", "pop"], loaded.Variants.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("als", 8), (loaded.Manifest.Variants["als-big"].Algorithm, loaded.Manifest.Variants["als-big"].Factors));
        Assert.True(loaded.Manifest.Variants["als-big"].Describes("als", Candidate.Of("als", ("factors", 8), ("iterations", 3)).Options));
        Assert.False(loaded.Manifest.Variants["als-big"].Describes("als", Candidate.Of("als", ("factors", 16)).Options));
        var before = new float[model.Products.Count];
        var after = new float[loaded.Products.Count];
        model.FittedFor("als-big").Score(model.FittedFor("als-big").ProfileOf(3, model.Histories), before);
        loaded.FittedFor("als-big").Score(loaded.FittedFor("als-big").ProfileOf(3, loaded.Histories), after);
        Assert.Equal(before, after);
        Assert.Same(loaded.Fitted, loaded.FittedFor("unknown-variant"));
        Assert.Same(loaded.Fitted, loaded.FittedFor(null));
    }
}
