using Recommender.Training.Algorithms;
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
        var users = new IdMap();
        var items = new IdMap();
        var rowStart = new List<int> { 0 };
        var itemOf = new List<int>();
        var ticks = new List<long>();
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            if (users.TryGetIndex(fields[0], out _))
                throw new InvalidDataException($"User '{fields[0]}' appears on two lines of {path}.");
            users.GetOrAdd(fields[0]);
            for (var n = 1; n < fields.Length; n++)
            {
                itemOf.Add(items.GetOrAdd(fields[n]));
                ticks.Add(Epoch.Ticks + (n - 1) * TimeSpan.TicksPerDay);
            }
            rowStart.Add(itemOf.Count);
        }
        var weights = new float[itemOf.Count];
        Array.Fill(weights, 1f);
        var histories = new BuyerHistories(users.Count, items.Count, rowStart.ToArray(), itemOf.ToArray(), ticks.ToArray(), weights);
        return (histories, users, items);
    }
}
