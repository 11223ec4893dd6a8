using Microsoft.Extensions.Options;
using Recommender.Api.Options;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;

namespace Recommender.Api.Experiments;

/// <summary>
/// Which variant a buyer is in: <see cref="StableHash"/> of the experiment's salt and the buyer id,
/// read as a number in [0, 1) and placed against the variants' cumulative shares. The hash is
/// the same in every process, so every replica, and every restart, puts a buyer in the same
/// variant; a new salt reshuffles everyone, and no experiment puts everyone in
/// <see cref="ExperimentOptions.Default"/>. Costs one hash of the id per request; no state.
/// </summary>
public sealed class ExperimentAssignment
{
    private readonly string[] _names;
    private readonly double[] _upTo;
    private readonly string _salt;

    public ExperimentAssignment(IOptions<RecommenderOptions> options)
    {
        var experiment = options.Value.Experiments;
        Options = experiment;
        _salt = experiment.EffectiveSalt + "\u001f";
        _names = [.. experiment.Variants.Select(v => v.Name)];
        _upTo = new double[_names.Length];
        var sum = 0.0;
        for (var n = 0; n < _names.Length; n++)
            _upTo[n] = sum += experiment.Variants[n].Share;
    }

    /// <summary>The experiment as configured.</summary>
    public ExperimentOptions Options { get; }

    /// <summary>The variant the buyer is assigned to; <see cref="ExperimentOptions.Default"/> outside the experiment or with none.</summary>
    public string VariantOf(string? buyerId)
    {
        if (_names.Length == 0 || buyerId is null) return ExperimentOptions.Default;
        var point = PointOf(_salt, buyerId);
        for (var n = 0; n < _upTo.Length; n++)
            if (point < _upTo[n]) return _names[n];
        return ExperimentOptions.Default;
    }

    /// <summary>
    /// The variant served to the buyer by <paramref name="model"/>: their assigned one when the
    /// model has it (or it is a variant on the default model), else <see cref="ExperimentOptions.Default"/>
    /// (the experiment was configured after this model was trained: it serves everyone the default
    /// until the next training, and says so, so no impression is counted under a variant it did not see).
    /// </summary>
    public string ServedVariantOf(string? buyerId, RecommenderModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var variant = VariantOf(buyerId);
        return variant == ExperimentOptions.Default || model.HasVariant(variant) || ServesDefault(variant)
            ? variant
            : ExperimentOptions.Default;
    }

    private bool ServesDefault(string variant) =>
        Options.Variants.Find(v => v.Name == variant) is { Algorithm: ExperimentOptions.Default };

    /// <summary>The buyer's place in [0, 1): the top 53 bits of the stable hash of salt and id.</summary>
    public static double PointOf(string salt, string buyerId)
    {
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentNullException.ThrowIfNull(buyerId);
        var length = salt.Length + buyerId.Length;
        var text = length <= 512 ? stackalloc char[length] : new char[length];
        salt.CopyTo(text);
        buyerId.CopyTo(text[salt.Length..]);
        return (StableHash.Of(text) >> 11) * (1.0 / (1UL << 53));
    }
}
