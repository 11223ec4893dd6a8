using Recommender.Training.Algorithms;
using Recommender.Training.Artifacts;
using Recommender.Training.Matrix;
using Recommender.Training.Scoring;

namespace Recommender.Api.Serving;

/// <summary>
/// A loaded model with what the request path derives from it, computed once per model rather
/// than per request: unit-length product vectors (similar products of a factorization) and,
/// for ALS, the products' Gram matrix and the options a buyer's fold-in needs.
/// </summary>
public sealed class ServingModel
{
    public ServingModel(RecommenderModel model)
    {
        Model = model;
        if (model.Scorer is FactorScorer factors)
        {
            NormalizedProducts = Normalized(factors.Products);
            if (model.Manifest.Algorithm == "als")
            {
                var hyper = model.Manifest.Hyperparameters;
                var defaults = new AlsOptions();
                FoldInOptions = new AlsOptions
                {
                    Factors = factors.Products.Factors,
                    Alpha = (float)hyper.GetValueOrDefault("alpha", defaults.Alpha),
                    Regularization = (float)hyper.GetValueOrDefault("regularization", defaults.Regularization),
                };
                ProductGram = ImplicitAls.Gram(factors.Products);
            }
        }
    }

    public RecommenderModel Model { get; }

    /// <summary>Product vectors scaled to unit length (zero rows stay zero); null for other models.</summary>
    public FactorMatrix? NormalizedProducts { get; }

    /// <summary>YᵀY of the product factors, for folding a buyer into an ALS model; null otherwise.</summary>
    public float[]? ProductGram { get; }

    public AlsOptions? FoldInOptions { get; }

    private static FactorMatrix Normalized(FactorMatrix products)
    {
        var normalized = new FactorMatrix(products.Rows, products.Factors);
        for (var p = 0; p < products.Rows; p++)
        {
            var row = products.Row(p);
            var norm = MathF.Sqrt(VectorMath.Dot(row, row));
            if (norm > 0)
                VectorMath.Axpy(1 / norm, row, normalized.Row(p));
        }
        return normalized;
    }
}
