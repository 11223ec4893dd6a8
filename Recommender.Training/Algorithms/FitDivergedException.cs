namespace Recommender.Training.Algorithms;

/// <summary>
/// A fit produced NaN or infinite factors. The model must not be published; retrying with the
/// same data and options gives the same result, so the fix is in the hyperparameters.
/// </summary>
public sealed class FitDivergedException(string message) : InvalidOperationException(message);
