using Recommender.Training.Algorithms.Als;
using Recommender.Training.Algorithms.Factorization;
using Recommender.Training.Algorithms.Svd;
using Recommender.Training.Matrix;

namespace Recommender.Tests.Algorithms;

/// <summary>Known-answer tests every factorization must pass, written once and run against each.</summary>
public class FactorizationContractTests
{
    public static TheoryData<string> Algorithms => ["als", "svd"];

    private static LatentFactors Fit(string algorithm, CsrMatrix m) => algorithm switch
    {
        "als" => ImplicitAls.Fit(m, new AlsOptions { Factors = 8, Iterations = 5, Regularization = 1 }, CancellationToken.None),
        "svd" => TruncatedSvd.Fit(m, components: 2, seed: 42, CancellationToken.None),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Withheld_checkerboard_cells_rank_above_every_product_of_the_other_parity(string algorithm)
    {
        var m = TestMatrices.Checkerboard(50, withheldPerBuyer: 3, out var withheld);
        var factors = Fit(algorithm, m);

        for (var u = 0; u < m.Rows; u++)
        {
            var lowestWithheld = withheld[u].Min(i => TestMatrices.Score(factors.Buyers, u, factors.Products, i));
            var highestOtherParity = Enumerable.Range(0, m.Columns).Where(i => i % 2 != u % 2)
                .Max(i => TestMatrices.Score(factors.Buyers, u, factors.Products, i));
            Assert.True(lowestWithheld > highestOtherParity,
                $"Buyer {u}: withheld score {lowestWithheld} is not above other-parity score {highestOtherParity}.");
        }
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Buyers_and_products_without_interactions_get_finite_zero_vectors(string algorithm)
    {
        // Buyer 3 and products 7 and 9 are left without interactions.
        var m = TestMatrices.Where(TestMatrices.Random(12, 15, 0.6, seed: 3),
            (u, i) => u != 3 && i != 7 && i != 9);

        var factors = Fit(algorithm, m);

        Assert.False(factors.Buyers.HasNonFinite());
        Assert.False(factors.Products.HasNonFinite());
        Assert.All(factors.Buyers.Row(3).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(factors.Products.Row(7).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(factors.Products.Row(9).ToArray(), v => Assert.Equal(0f, v));
        Assert.Contains(factors.Buyers.Row(0).ToArray(), v => v != 0);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void The_same_seed_gives_identical_factors(string algorithm)
    {
        var m = TestMatrices.Random(60, 40, 0.15, seed: 5);
        var first = Fit(algorithm, m);
        var second = Fit(algorithm, m);
        Assert.Equal(first.Buyers.Data, second.Buyers.Data);
        Assert.Equal(first.Products.Data, second.Products.Data);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void An_empty_matrix_gives_zero_factors(string algorithm)
    {
        var m = new CsrMatrix(4, 3, new int[5], [], []);
        var factors = Fit(algorithm, m);
        Assert.Equal(4, factors.Buyers.Rows);
        Assert.Equal(3, factors.Products.Rows);
        Assert.All(factors.Buyers.Data, v => Assert.Equal(0f, v));
        Assert.All(factors.Products.Data, v => Assert.Equal(0f, v));
    }
}
