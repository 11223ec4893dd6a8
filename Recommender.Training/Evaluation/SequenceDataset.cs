using Recommender.Training.Algorithms;
using Recommender.Training.Data;
using Recommender.Training.Matrix;

namespace Recommender.Training.Evaluation;

/// <summary>
/// Reads the benchmark format of the sequential-recommendation papers: one line per user,
/// <c>user item1 item2 …</c>, items oldest first. The data have no timestamps or kinds, so every
/// entry is an order (weight 1) and gets a synthetic timestamp one day after the previous one:
/// recency settings in days then mean "interactions back" and work as they do on a shop's createdAt.
/// </summary>
public static class SequenceDataset
{
    /// <summary>The synthetic time of the first interaction of every user.</summary>
    public static readonly DateTime Epoch = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static (BuyerHistories Histories, IdMap Users, IdMap Items) Read(string path)
    {
        var file = InteractionListFile.Read(path);
        var ticks = new long[file.Items.Length];
        for (var u = 0; u < file.UserIds.Length; u++)
            for (var n = file.RowStart[u]; n < file.RowStart[u + 1]; n++)
                ticks[n] = Epoch.Ticks + (n - file.RowStart[u]) * TimeSpan.TicksPerDay;
        var weights = new float[file.Items.Length];
        Array.Fill(weights, 1f);
        var histories = new BuyerHistories(file.UserIds.Length, file.ItemIds.Length, file.RowStart, file.Items, ticks, weights);
        return (histories, new IdMap(file.UserIds.Select(Id)), new IdMap(file.ItemIds.Select(Id)));
    }

    private static string Id(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
