using Recommender.Training.Artifacts;

namespace Recommender.Training.Algorithms;

/// <summary>
/// An algorithm as the registry knows it: its name, its options class, how to fit it and how
/// to read a fitted one back from the model zip. Derive from <see cref="RecommenderAlgorithm{TOptions}"/>.
/// </summary>
public interface IRecommenderAlgorithm
{
    /// <summary>The name in settings, on the command line and in the manifest: "itemknn", "als"….</summary>
    string Name { get; }

    /// <summary>The layout of this algorithm's own zip entries; raised when it changes.</summary>
    int FormatVersion { get; }

    /// <summary>The options class, bound from <c>Recommender:Training:{Section}</c> and from <c>--option k=v</c>.</summary>
    Type OptionsType { get; }

    /// <summary>The configuration section under <c>Recommender:Training</c>, or null for an algorithm without options.</summary>
    string? Section { get; }

    object DefaultOptions();

    IFittedModel Fit(BuyerHistories train, object options, CancellationToken cancellationToken);

    /// <summary>
    /// A fit on newer histories that keeps what is costly to learn from <paramref name="previous"/>
    /// (a ranker's trees, relearned when the model selection runs); null when this algorithm keeps
    /// nothing or <paramref name="previous"/> was fitted otherwise, and a plain fit is due.
    /// </summary>
    IFittedModel? Refit(IFittedModel previous, BuyerHistories train, CancellationToken cancellationToken);

    /// <summary>Reads a model this algorithm wrote; throws <see cref="InvalidDataException"/> for anything malformed.</summary>
    IFittedModel Read(ModelEntryReader entries, int formatVersion, object options);
}

/// <summary>The typed base every algorithm derives from.</summary>
public abstract class RecommenderAlgorithm<TOptions> : IRecommenderAlgorithm where TOptions : class, new()
{
    public abstract string Name { get; }
    public virtual int FormatVersion => 1;
    public Type OptionsType => typeof(TOptions);
    public virtual string? Section => null;

    public object DefaultOptions() => new TOptions();

    public IFittedModel Fit(BuyerHistories train, object options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        var typed = Cast(options);
        OptionBinding.Validate(typed);
        return Fit(train, typed, cancellationToken);
    }

    public IFittedModel Read(ModelEntryReader entries, int formatVersion, object options)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (formatVersion < 1 || formatVersion > FormatVersion)
            throw new InvalidDataException($"The {Name} entries are format {formatVersion}; this version reads 1 to {FormatVersion}.");
        var typed = Cast(options);
        try { OptionBinding.Validate(typed); }
        catch (ArgumentException e) { throw new InvalidDataException($"The model's {Name} options are invalid: {e.Message}", e); }
        return Read(entries, formatVersion, typed);
    }

    public virtual IFittedModel? Refit(IFittedModel previous, BuyerHistories train, CancellationToken cancellationToken) => null;

    protected abstract IFittedModel Fit(BuyerHistories train, TOptions options, CancellationToken cancellationToken);

    protected abstract IFittedModel Read(ModelEntryReader entries, int formatVersion, TOptions options);

    private TOptions Cast(object options) => options as TOptions
        ?? throw new ArgumentException($"{Name} takes {typeof(TOptions).Name}, not {options?.GetType().Name ?? "null"}.", nameof(options));
}
