using Recommender.Training.Matrix;

namespace Recommender.Training.Algorithms.Als;

/// <summary>
/// Splits an ALS score over the buyer's history, as implicit's <c>explain</c> does. The buyer's
/// vector is x = A⁻¹ Σ_j c_j·y_j with A = YᵀY + λI + Σ_j (c_j − 1)·y_j·y_jᵀ, so the score of
/// product i is y_iᵀx = Σ_j c_j · (A⁻¹y_i)ᵀ y_j: one term per history product.
/// </summary>
public static class AlsExplanation
{
    /// <summary>c_j · (A⁻¹y_target)ᵀ y_j for every history product j (distinct, with summed weights).</summary>
    public static Dictionary<int, float> Contributions(FactorMatrix products, ReadOnlySpan<float> productGram,
        ReadOnlySpan<int> historyProducts, ReadOnlySpan<float> weights, AlsOptions options, int target)
    {
        ArgumentNullException.ThrowIfNull(products);
        ArgumentNullException.ThrowIfNull(options);
        var k = products.Factors;
        var stride = products.Stride;
        var byProduct = new Dictionary<int, float>();
        if (historyProducts.IsEmpty) return byProduct;

        var a = new double[k * k];
        for (var j = 0; j < k; j++)
            for (var l = 0; l <= j; l++)
                a[j * k + l] = productGram[j * stride + l];
        for (var j = 0; j < k; j++) a[j * k + j] += options.Regularization;
        for (var n = 0; n < historyProducts.Length; n++)
        {
            var y = products.Row(historyProducts[n]);
            double confidenceMinusOne = options.Alpha * weights[n];
            for (var j = 0; j < k; j++)
                for (var l = 0; l <= j; l++)
                    a[j * k + l] += confidenceMinusOne * y[j] * y[l];
        }
        Cholesky.Factor(a, k);
        var weighted = new double[k];
        var targetRow = products.Row(target);
        for (var j = 0; j < k; j++) weighted[j] = targetRow[j];
        Cholesky.Solve(a, k, weighted);

        for (var n = 0; n < historyProducts.Length; n++)
        {
            var y = products.Row(historyProducts[n]);
            var dot = 0.0;
            for (var j = 0; j < k; j++) dot += weighted[j] * y[j];
            var confidence = 1 + (double)options.Alpha * weights[n];
            byProduct[historyProducts[n]] = (float)(confidence * dot);
        }
        return byProduct;
    }
}
