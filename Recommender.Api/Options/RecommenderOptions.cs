using System.ComponentModel.DataAnnotations;
using Recommender.Api.Catalog;
using Recommender.Api.Cluster;
using Recommender.Api.Dashboard;
using Recommender.Api.Experiments;
using Recommender.Api.Outcomes;
using Recommender.Api.RealTime;
using Recommender.Api.Security;
using Recommender.Training;

namespace Recommender.Api.Options;

/// <summary>
/// The service's settings, section "Recommender" of appsettings.json (every key is listed
/// there with its default) or environment variables such as <c>Recommender__TrainingIntervalSeconds</c>.
/// </summary>
public sealed class RecommenderOptions : IValidatableObject
{
    public const string SectionName = "Recommender";

    /// <summary>Seconds between trainings; the first runs at start-up.</summary>
    [Range(1, 86_400)]
    public int TrainingIntervalSeconds { get; set; } = 60;

    /// <summary>
    /// False makes this instance serve only: it trains nothing and serves what another
    /// process publishes into <see cref="ModelsDirectory"/>.
    /// </summary>
    public bool TrainOnSchedule { get; set; } = true;

    /// <summary>Where model zips are written and read, relative to the working directory.</summary>
    [Required]
    public string ModelsDirectory { get; set; } = "models";

    /// <summary>How many model versions to keep on disk.</summary>
    [Range(1, 1000)]
    public int KeepModels { get; set; } = 5;

    /// <summary>Seconds between looks for a newer model in <see cref="ModelsDirectory"/> (one written by another process).</summary>
    [Range(1, 3600)]
    public int ModelPollSeconds { get; set; } = 2;

    /// <summary>Seconds between refreshes of the in-memory product rows.</summary>
    [Range(1, 3600)]
    public int ProductRefreshSeconds { get; set; } = 10;

    [Range(1, 100)]
    public int DefaultTopK { get; set; } = 5;

    /// <summary>
    /// A buyer with fewer interactions than this gets products similar to the ones they have
    /// (source "similar") rather than a personalized list; 1 personalizes from the first interaction.
    /// </summary>
    [Range(1, 1000)]
    public int PersonalizedMinInteractions { get; set; } = 3;

    [Range(1, 10_000)]
    public int MaxTopK { get; set; } = 100;

    /// <summary>
    /// The largest <c>offset</c> a list accepts; larger is a 400. Each page ranks offset + top_k
    /// products, so this bounds what one request can cost: pages beyond it are not what
    /// recommendations are for, and a crawler asking for them should not take the service's CPU.
    /// </summary>
    [Range(0, 10_000)]
    public int MaxOffset { get; set; } = 500;

    /// <summary>Where the SQLite demo shop is created when no PostgreSQL shop is configured.</summary>
    [Required]
    public string DemoShopPath { get; set; } = "data/demo-shop.db";

    public TrainingSettings Training { get; set; } = new();

    public SellabilityRules Sellability { get; set; } = new();

    /// <summary>Seconds a request may take before it is cancelled and answered 504.</summary>
    [Range(1, 600)]
    public int RequestTimeoutSeconds { get; set; } = 10;

    public SecuritySettings Security { get; set; } = new();

    public CorsSettings Cors { get; set; } = new();

    public ClusterOptions Cluster { get; set; } = new();

    public RealTimeOptions RealTime { get; set; } = new();

    public DashboardOptions Dashboard { get; set; } = new();

    public AttributionOptions Attribution { get; set; } = new();

    public ExperimentOptions Experiments { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DefaultTopK > MaxTopK)
            yield return new ValidationResult("DefaultTopK must not exceed MaxTopK.", [nameof(DefaultTopK)]);
        foreach (var result in ValidateNested(Cluster, nameof(Cluster)))
            yield return result;
        foreach (var result in ValidateNested(RealTime, nameof(RealTime)))
            yield return result;
        foreach (var result in ValidateNested(Dashboard, nameof(Dashboard)))
            yield return result;
        foreach (var result in ValidateNested(Attribution, nameof(Attribution)))
            yield return result;
        foreach (var result in Experiments.Validate(Training))
            yield return result;
        string? error = null;
        try { Training.Validate(); }
        catch (ArgumentException e) { error = e.Message; }
        if (error is not null)
            yield return new ValidationResult($"Training: {error}", [nameof(Training)]);

        // DataAnnotations do not descend into nested objects by themselves.
        var nested = new List<ValidationResult>();
        Validator.TryValidateObject(Security.RateLimit, new ValidationContext(Security.RateLimit), nested, validateAllProperties: true);
        foreach (var result in nested)
            yield return new ValidationResult($"Security:RateLimit: {result.ErrorMessage}",
                result.MemberNames.Select(name => $"Security:RateLimit:{name}"));
        if (Security.ApiKeys.Any(key => string.IsNullOrWhiteSpace(key) || key.Length < SecuritySettings.MinApiKeyLength))
            yield return new ValidationResult(
                $"Security:ApiKeys: every API key (API_KEY included) must have at least {SecuritySettings.MinApiKeyLength} characters.",
                ["Security:ApiKeys"]);
        if (Cors.AllowedOrigins.Any(origin => !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/"))
            yield return new ValidationResult(
                "Cors:AllowedOrigins: each origin must be a scheme, host and optional port, such as https://shop.example.com.",
                ["Cors:AllowedOrigins"]);
    }

    private static List<ValidationResult> ValidateNested(object section, string name)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true);
        return [.. results.Select(r => new ValidationResult($"{name}: {r.ErrorMessage}", [.. r.MemberNames.Select(m => $"{name}:{m}")]))];
    }
}
