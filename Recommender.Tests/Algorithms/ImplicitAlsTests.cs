using Recommender.Training.Algorithms.Als;
using Recommender.Training.Matrix;

namespace Recommender.Tests.Algorithms;

public class ImplicitAlsTests
{
    private static FactorMatrix RandomFactors(int rows, int factors, int seed)
    {
        var m = new FactorMatrix(rows, factors);
        var random = new Random(seed);
        for (var r = 0; r < rows; r++)
            for (var j = 0; j < factors; j++) m.Row(r)[j] = random.NextSingle() - 0.3f;
        return m;
    }

    [Fact]
    public void Conjugate_gradient_run_for_k_steps_from_zero_matches_the_exact_solve()
    {
        const int factors = 12;
        var m = TestMatrices.Random(30, 50, 0.2, seed: 11);
        var products = RandomFactors(m.Columns, factors, seed: 12);
        var buyers = new FactorMatrix(m.Rows, factors);
        var options = new AlsOptions { Factors = factors, ConjugateGradientSteps = factors, Alpha = 5, Regularization = 0.1f };

        ImplicitAls.SolveRows(m, products, buyers, options, new ParallelOptions { MaxDegreeOfParallelism = 1 });

        var exact = new float[buyers.Stride];
        for (var u = 0; u < m.Rows; u++)
        {
            ImplicitAls.RecalculateBuyer(products, m.RowIndices(u), m.RowValues(u), options, exact);
            Assert.True(TestMatrices.RelativeDifference(buyers.Row(u), exact) < 1e-3,
                $"Buyer {u}: CG {string.Join(", ", buyers.Row(u).ToArray())} vs exact {string.Join(", ", exact)}.");
        }
    }

    [Fact]
    public void A_converged_fit_gives_each_buyer_its_fold_in_vector()
    {
        var m = TestMatrices.Random(40, 30, 0.25, seed: 21);
        var options = new AlsOptions { Factors = 8, Iterations = 300, ConjugateGradientSteps = 8, Regularization = 0.5f, MaxDegreeOfParallelism = 1 };

        var factors = ImplicitAls.Fit(m, options, CancellationToken.None);

        var gram = ImplicitAls.Gram(factors.Products);
        var folded = new float[factors.Buyers.Stride];
        foreach (var u in new[] { 0, 17, 39 })
        {
            ImplicitAls.RecalculateBuyer(factors.Products, gram, m.RowIndices(u), m.RowValues(u), options, folded);
            Assert.True(TestMatrices.RelativeDifference(factors.Buyers.Row(u), folded) < 2e-3,
                $"Buyer {u}: fit {string.Join(", ", factors.Buyers.Row(u).ToArray())} vs fold-in {string.Join(", ", folded)}.");
        }
    }

    [Fact]
    public void Folding_in_a_buyer_without_interactions_gives_a_zero_vector()
    {
        var products = RandomFactors(10, 8, seed: 1);
        var result = Enumerable.Repeat(9f, 8).ToArray();
        ImplicitAls.RecalculateBuyer(products, [], [], new AlsOptions { Factors = 8 }, result);
        Assert.All(result, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void The_thread_count_does_not_change_the_factors()
    {
        // Enough rows for several Gram blocks and many row chunks per worker.
        var m = TestMatrices.Random(5000, 120, 0.03, seed: 8);
        var options = new AlsOptions { Factors = 16, Iterations = 3 };

        options.MaxDegreeOfParallelism = 1;
        var single = ImplicitAls.Fit(m, options, CancellationToken.None);
        options.MaxDegreeOfParallelism = 2;
        var two = ImplicitAls.Fit(m, options, CancellationToken.None);
        options.MaxDegreeOfParallelism = 5;
        var five = ImplicitAls.Fit(m, options, CancellationToken.None);

        Assert.Equal(single.Buyers.Data, two.Buyers.Data);
        Assert.Equal(single.Products.Data, two.Products.Data);
        Assert.Equal(single.Buyers.Data, five.Buyers.Data);
        Assert.Equal(single.Products.Data, five.Products.Data);
    }

    [Fact]
    public void A_different_seed_gives_different_factors()
    {
        var m = TestMatrices.Random(30, 20, 0.2, seed: 2);
        var first = ImplicitAls.Fit(m, new AlsOptions { Factors = 8, Iterations = 2, Seed = 1 }, CancellationToken.None);
        var second = ImplicitAls.Fit(m, new AlsOptions { Factors = 8, Iterations = 2, Seed = 2 }, CancellationToken.None);
        Assert.NotEqual(first.Buyers.Data, second.Buyers.Data);
    }

    [Fact]
    public void Padding_columns_stay_zero()
    {
        var m = TestMatrices.Random(30, 20, 0.2, seed: 4);
        var factors = ImplicitAls.Fit(m, new AlsOptions { Factors = 10, Iterations = 3 }, CancellationToken.None);
        Assert.Equal(16, factors.Buyers.Stride);
        foreach (var side in new[] { factors.Buyers, factors.Products })
            for (var r = 0; r < side.Rows; r++)
                Assert.All(side.Row(r)[10..].ToArray(), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(1e4f, 0.05f)]
    [InlineData(1e7f, 1e-6f)]
    [InlineData(0f, 0.05f)]
    public void Extreme_confidence_settings_still_give_finite_factors(float alpha, float regularization)
    {
        var m = TestMatrices.Random(40, 30, 0.2, seed: 6);
        var factors = ImplicitAls.Fit(m, new AlsOptions { Factors = 8, Iterations = 5, Alpha = alpha, Regularization = regularization }, CancellationToken.None);
        Assert.False(factors.Buyers.HasNonFinite());
        Assert.False(factors.Products.HasNonFinite());
    }

    [Fact]
    public void Progress_is_reported_after_every_iteration()
    {
        var m = TestMatrices.Random(20, 10, 0.3, seed: 7);
        var reported = new List<int>();
        ImplicitAls.Fit(m, new AlsOptions { Factors = 8, Iterations = 4 }, CancellationToken.None, reported.Add);
        Assert.Equal([1, 2, 3, 4], reported);
    }

    [Fact]
    public void A_cancelled_fit_throws()
    {
        var m = TestMatrices.Random(20, 10, 0.3, seed: 7);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ImplicitAls.Fit(m, new AlsOptions { Factors = 8 }, cancellation.Token));
    }

    [Fact]
    public void Negative_interaction_weights_are_rejected()
    {
        var m = CsrMatrix.FromCoordinates(2, 2, [0, 1], [1, 0], [1f, -0.5f]);
        Assert.Throws<ArgumentException>(() => ImplicitAls.Fit(m, new AlsOptions { Factors = 8 }, CancellationToken.None));
    }

    public static TheoryData<string, Action<AlsOptions>> InvalidOptions => new()
    {
        { "Factors", o => o.Factors = 0 },
        { "Regularization", o => o.Regularization = 0 },
        { "Regularization", o => o.Regularization = float.NaN },
        { "Alpha", o => o.Alpha = -1 },
        { "Alpha", o => o.Alpha = float.PositiveInfinity },
        { "Iterations", o => o.Iterations = 0 },
        { "ConjugateGradientSteps", o => o.ConjugateGradientSteps = 0 },
        { "MaxDegreeOfParallelism", o => o.MaxDegreeOfParallelism = -1 },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Out_of_range_options_are_rejected_with_the_option_named(string option, Action<AlsOptions> breakIt)
    {
        var options = new AlsOptions();
        options.Validate();
        breakIt(options);
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(option, error.Message);
    }
}
