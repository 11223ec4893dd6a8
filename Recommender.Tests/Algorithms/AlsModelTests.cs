using Recommender.Training.Algorithms;
using Recommender.Training.Algorithms.Als;
using Recommender.Training.Algorithms.Factorization;
using Recommender.Training.Matrix;

namespace Recommender.Tests.Algorithms;

public sealed class AlsModelTests
{
    /// <summary>Twelve products, buyers of two tastes, interactions one day apart so recency matters.</summary>
    private static BuyerHistories Shop() => TestHistories.Of(12,
        [.. Enumerable.Range(0, 30).Select(b => Enumerable.Range(0, 5).Select(n => (b % 2) * 6 + (b + n * 2) % 6).ToArray())]);

    private static AlsOptions Options => new() { Factors = 8, Regularization = 1, Alpha = 10, Iterations = 15, HalfLifeDays = 2 };

    [Fact]
    public void A_fold_in_solves_the_buyer_exactly_with_the_weights_training_used()
    {
        var histories = Shop();
        var model = (AlsModel)new AlsAlgorithm().Fit(histories, Options, CancellationToken.None);
        var trainingRows = histories.ToMatrix(Options.HalfLifeDays);

        for (var buyer = 0; buyer < histories.Buyers; buyer++)
        {
            var exact = new float[model.ProductFactors.Stride];
            var row = trainingRows.RowStart[buyer]..trainingRows.RowStart[buyer + 1];
            ImplicitAls.RecalculateBuyer(model.ProductFactors, trainingRows.Indices[row], trainingRows.Values[row], Options, exact);

            var folded = (FactorProfile)model.FoldIn(BuyerHistory.Of(histories, buyer));

            Assert.Equal(exact, folded.Vector.ToArray());
        }
    }

    [Fact]
    public void Folding_in_an_unchanged_training_buyer_gives_their_trained_vector()
    {
        var histories = Shop();
        var model = (AlsModel)new AlsAlgorithm().Fit(histories, Options, CancellationToken.None);

        for (var buyer = 0; buyer < histories.Buyers; buyer++)
        {
            var trained = model.Buyers.Row(buyer).ToArray();
            var folded = ((FactorProfile)model.FoldIn(BuyerHistory.Of(histories, buyer))).Vector.ToArray();
            var cosine = VectorMath.Dot(trained, folded) / MathF.Sqrt(VectorMath.Dot(trained, trained) * VectorMath.Dot(folded, folded));
            Assert.True(cosine > 0.999f, $"Buyer {buyer}: the fold-in points elsewhere than the trained vector (cosine {cosine}).");
        }
    }

    [Fact]
    public void An_explanation_splits_the_score_over_the_history_exactly()
    {
        var histories = Shop();
        var model = (AlsModel)new AlsAlgorithm().Fit(histories, Options, CancellationToken.None);
        var history = BuyerHistory.Of(histories, 3);
        var (products, weights) = HistoryWeights.Summed(history, Options.HalfLifeDays);
        var vector = ((FactorProfile)model.FoldIn(history)).Vector.ToArray();

        for (var target = 0; target < 12; target++)
        {
            var parts = AlsExplanation.Contributions(model.ProductFactors, model.ProductGram, products, weights, Options, target);
            var score = VectorMath.Dot(vector, model.ProductFactors.Row(target));
            Assert.Equal(score, parts.Values.Sum(), 3);
        }
    }
}
