namespace Recommender.Training.Algorithms.Ranking;

/// <summary>A buyer as the ranker sees them: their history, and each source's own profile of it.</summary>
internal sealed class RankedProfile : BuyerProfile
{
    public RankedProfile(BuyerHistory history, BuyerProfile item, BuyerProfile? als) : base(history) => (Item, Als) = (item, als);

    public RankedProfile(BuyerHistories histories, int buyer, BuyerProfile item, BuyerProfile? als) : base(histories, buyer) => (Item, Als) = (item, als);

    public BuyerProfile Item { get; }
    public BuyerProfile? Als { get; }

    public static RankedProfile Of(RankingSources sources, int buyer, BuyerHistories histories) =>
        new(histories, buyer, sources.Item.ProfileOf(buyer, histories), sources.Als?.ProfileOf(buyer, histories));

    public static RankedProfile FoldIn(RankingSources sources, BuyerHistory history) =>
        new(history, sources.Item.FoldIn(history), sources.Als?.FoldIn(history));
}
