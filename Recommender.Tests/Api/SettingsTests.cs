using System.Text.Json;

namespace Recommender.Tests.Api;

/// <summary>Settings mistakes stop the service at start-up with a message, instead of being ignored.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("Recommender:TrainingIntervalSecs", "30", "TrainingIntervalSecs")]
    [InlineData("Recommender:Training:Algorithm", "magic", "magic")]
    [InlineData("Recommender:Training:Algorithm", "als", "factorz")]
    [InlineData("Recommender:MaxTopK", "0", "MaxTopK")]
    [InlineData("Recommender:MaxOffset", "-1", "MaxOffset")]
    [InlineData("Recommender:RealTime:SlotPrefix", "Bad-Prefix", "SlotPrefix")]
    [InlineData("Recommender:RealTime:AbandonedSlotMinutes", "0", "AbandonedSlotMinutes")]
    public void A_misspelt_or_invalid_setting_stops_the_service_at_start_up(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (named == "factorz") settings["Recommender:Training:Als:factorz"] = "8";

        var error = StartupValidation.ErrorFor(settings);

        Assert.True(error is not null, $"the settings were accepted despite {key}={value}");
        Assert.True(error.ToString().Contains(named, StringComparison.Ordinal), $"the start-up error does not name {named}: {error}");
    }

    [Fact]
    public void An_unknown_real_time_source_stops_the_service_naming_the_setting()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            StartupValidation.ErrorFor(new Dictionary<string, string?> { ["Recommender:RealTime:Source"] = "wal" }));
        Assert.Contains("Recommender:RealTime:Source", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_settings_pass_start_up_validation() =>
        Assert.Null(StartupValidation.ErrorFor(new Dictionary<string, string?>()));

    [Fact]
    public void The_shipped_appsettings_parse_and_name_every_training_setting()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var training = document.RootElement.GetProperty("Recommender").GetProperty("Training");

        foreach (var property in typeof(Recommender.Training.TrainingSettings).GetProperties().Where(p => p.CanWrite))
            Assert.True(training.TryGetProperty(property.Name, out _), $"appsettings.json lacks Recommender:Training:{property.Name}");
    }
}
