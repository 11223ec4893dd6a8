using Recommender.Training.Matrix;

namespace Recommender.Training.Algorithms.Factorization;

/// <summary>
/// A fitted factorization: one vector per buyer (row of the interaction matrix) and one per
/// product (column), in the same index order as the matrix. A buyer's score for a product is
/// the dot product of their rows (for <see cref="Svd.TruncatedSvd"/>, whose rows are unit length,
/// that dot product is the cosine similarity).
/// </summary>
public sealed record LatentFactors(FactorMatrix Buyers, FactorMatrix Products);
