using System.Diagnostics;
using Recommender.Training.Algorithms;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;
using Recommender.Training.Matrix;

namespace Recommender.Training;

/// <summary>Turns an interaction log into a model: matrix → chosen algorithm → popularity → manifest.</summary>
public static class ModelTrainer
{
    public static RecommenderModel Train(InteractionLog log, TrainingSettings settings, long version, CancellationToken cancellationToken)
    {
        settings.Validate();
        var clock = Stopwatch.StartNew();
        var matrix = log.ToMatrix(settings.Weights);
        var popularity = ColumnSums(matrix);

        // With nothing to learn from, factors would be noise: fall back to popularity.
        var algorithm = matrix.NonZeros == 0 ? TrainingSettings.Popularity : settings.Algorithm;
        FactorMatrix? buyerFactors = null, productFactors = null;
        var hyperparameters = new Dictionary<string, double>();
        switch (algorithm)
        {
            case TrainingSettings.Als:
                var als = settings.AlsOptions;
                (buyerFactors, productFactors) = ImplicitAls.Fit(matrix, als, cancellationToken);
                hyperparameters["factors"] = als.Factors;
                hyperparameters["regularization"] = als.Regularization;
                hyperparameters["alpha"] = als.Alpha;
                hyperparameters["iterations"] = als.Iterations;
                hyperparameters["cg_steps"] = als.ConjugateGradientSteps;
                hyperparameters["seed"] = als.Seed;
                break;
            case TrainingSettings.Svd:
                (buyerFactors, productFactors) = TruncatedSvd.Fit(matrix, settings.SvdComponents, settings.Seed, cancellationToken);
                hyperparameters["components"] = settings.SvdComponents;
                hyperparameters["seed"] = settings.Seed;
                break;
        }
        hyperparameters["weight_order"] = settings.Weights.Order;
        hyperparameters["weight_cart"] = settings.Weights.Cart;
        hyperparameters["weight_wishlist"] = settings.Weights.Wishlist;

        var manifest = new ModelManifest
        {
            Version = version,
            Algorithm = algorithm,
            Hyperparameters = hyperparameters,
            TrainedAt = DateTimeOffset.UtcNow,
            DataFingerprint = log.Fingerprint,
            SettingsFingerprint = settings.Fingerprint(),
            Buyers = log.Buyers.Count,
            Products = log.Products.Count,
            Interactions = log.Count,
            Factors = buyerFactors?.Factors ?? 0,
            TrainingSeconds = clock.Elapsed.TotalSeconds,
        };
        return new RecommenderModel(manifest, log.Buyers, log.Products, buyerFactors, productFactors, matrix, popularity);
    }

    private static float[] ColumnSums(CsrMatrix matrix)
    {
        var sums = new float[matrix.Columns];
        var values = matrix.Values;
        var indices = matrix.Indices;
        for (var n = 0; n < indices.Length; n++)
            sums[indices[n]] += values[n];
        return sums;
    }
}
