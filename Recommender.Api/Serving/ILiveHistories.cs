using Recommender.Training.Algorithms;

namespace Recommender.Api.Serving;

/// <summary>
/// Buyers' current histories where they are newer than the model's (real-time updates).
/// Without one the model's own histories are used.
/// </summary>
public interface ILiveHistories
{
    /// <summary>The buyer's current history, or null when the model's stored history is current.</summary>
    BuyerHistory? Find(ServingSnapshot snapshot, string buyerId);
}

/// <summary>No real-time updates: every buyer is as the model last saw them.</summary>
public sealed class NoLiveHistories : ILiveHistories
{
    public BuyerHistory? Find(ServingSnapshot snapshot, string buyerId) => null;
}
