using Recommender.Training.Algorithms.Als;

namespace Recommender.Tests.Algorithms;

public class CholeskyTests
{
    [Fact]
    public void Factors_and_solves_a_known_positive_definite_system()
    {
        // A = L·Lᵀ with L = [[2,0,0],[6,1,0],[-8,5,3]]; A·[1,2,3] = [-20,-43,192].
        double[] a = [4, 12, -16, 12, 37, -43, -16, -43, 98];
        double[] b = [-20, -43, 192];

        Cholesky.Factor(a, 3);
        Assert.Equal([2, 6, 1, -8, 5, 3], new[] { a[0], a[3], a[4], a[6], a[7], a[8] });
        Cholesky.Solve(a, 3, b);

        Assert.Equal(1, b[0], 12);
        Assert.Equal(2, b[1], 12);
        Assert.Equal(3, b[2], 12);
    }

    [Fact]
    public void Rejects_a_matrix_that_is_not_positive_definite()
    {
        double[] indefinite = [1, 2, 2, 1];
        Assert.Throws<InvalidOperationException>(() => Cholesky.Factor(indefinite, 2));
    }

    [Fact]
    public void Rejects_a_singular_matrix()
    {
        double[] singular = [1, 1, 1, 1];
        Assert.Throws<InvalidOperationException>(() => Cholesky.Factor(singular, 2));
    }
}
