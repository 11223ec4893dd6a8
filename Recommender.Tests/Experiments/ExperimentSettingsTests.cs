using Recommender.Tests.Api;

namespace Recommender.Tests.Experiments;

/// <summary>An experiment's settings are checked at start-up, each error naming its key.</summary>
public sealed class ExperimentSettingsTests
{
    private static Dictionary<string, string?> Experiment(string algorithm = "als", string share0 = "0.5", string share1 = "0.5", string name1 = "b") => new()
    {
        ["Recommender:Experiments:Variants:0:Name"] = "a",
        ["Recommender:Experiments:Variants:0:Share"] = share0,
        ["Recommender:Experiments:Variants:1:Name"] = name1,
        ["Recommender:Experiments:Variants:1:Algorithm"] = algorithm,
        ["Recommender:Experiments:Variants:1:Share"] = share1,
    };

    [Fact]
    public void A_valid_experiment_passes() => Assert.Null(StartupValidation.ErrorFor(Experiment()));

    [Theory]
    [InlineData("magic", "0.5", "0.5", "b", "unknown algorithm 'magic'")]
    [InlineData("als", "0.7", "0.5", "b", "add up to 1.2")]
    [InlineData("als", "0", "0.5", "b", "Experiments:Variants:0:Share")]
    [InlineData("als", "0.5", "0.5", "a", "used twice")]
    [InlineData("als", "0.5", "0.5", "default", "Experiments:Variants:1:Name")]
    public void A_wrong_experiment_stops_the_service_naming_the_setting(string algorithm, string share0, string share1, string name1, string named)
    {
        var error = StartupValidation.ErrorFor(Experiment(algorithm, share0, share1, name1));

        Assert.NotNull(error);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_variant_option_stops_the_service()
    {
        var settings = Experiment();
        settings["Recommender:Experiments:Variants:1:Options:factorz"] = "128";

        var error = StartupValidation.ErrorFor(settings);

        Assert.NotNull(error);
        Assert.Contains("factorz", error.Message, StringComparison.Ordinal);
    }
}
