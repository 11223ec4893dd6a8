using Recommender.Training.Artifacts;
using Recommender.Training.Matrix;

namespace Recommender.Training.Algorithms.Popularity;

/// <summary>Popularity has nothing to tune.</summary>
public sealed class PopularityOptions;

/// <summary>Every buyer gets the same ranking: each product's summed interaction weight.</summary>
public sealed class PopularityAlgorithm : RecommenderAlgorithm<PopularityOptions>
{
    public const string AlgorithmName = "popularity";

    /// <summary>Format 2 stores the ranking as its own entry; format 1 read the model-wide popularity.</summary>
    public override int FormatVersion => 2;

    public override string Name => AlgorithmName;

    protected override IFittedModel Fit(BuyerHistories train, PopularityOptions options, CancellationToken cancellationToken) =>
        new PopularityModel(ColumnSums(train.ToMatrix()));

    protected override IFittedModel Read(ModelEntryReader entries, int formatVersion, PopularityOptions options) =>
        new PopularityModel(formatVersion == 1 ? entries.Popularity : entries.ReadArray<float>(PopularityModel.Entry, entries.Products));

    /// <summary>Each column's summed weight: a product's popularity.</summary>
    public static float[] ColumnSums(CsrMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var sums = new float[matrix.Columns];
        for (var n = 0; n < matrix.NonZeros; n++) sums[matrix.Indices[n]] += matrix.Values[n];
        return sums;
    }
}
