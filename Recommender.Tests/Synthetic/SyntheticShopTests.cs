using Recommender.Training.Data;
using Recommender.Training.Synthetic;

namespace Recommender.Tests.Synthetic;

public sealed class SyntheticShopTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("synthetic-shop-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static SyntheticShopOptions Small(long seed = 7) =>
        new() { Users = 2_000, Items = 1_000, Interactions = 30_000, Seed = seed };

    private string WriteShop(SyntheticShopOptions options, string name)
    {
        var path = Path.Combine(_directory, name);
        GenerateCommand.Write(options, path);
        return path;
    }

    private static List<int[]> Lines(string path) =>
        File.ReadLines(path).Select(line => line.Split(' ').Select(int.Parse).ToArray()).ToList();

    [Fact]
    public void The_same_seed_writes_the_same_file_and_another_seed_a_different_one()
    {
        var first = File.ReadAllBytes(WriteShop(Small(), "a.txt"));
        var again = File.ReadAllBytes(WriteShop(Small(), "b.txt"));
        var other = File.ReadAllBytes(WriteShop(Small(seed: 8), "c.txt"));
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Each_line_is_a_user_then_distinct_positive_item_ids()
    {
        var path = WriteShop(Small(), "shop.txt");
        Assert.DoesNotContain(".partial", string.Join(",", Directory.GetFiles(_directory)));
        var lines = Lines(path);
        Assert.Equal(Enumerable.Range(1, 2_000), lines.Select(l => l[0]));
        Assert.All(lines, line =>
        {
            var items = line[1..];
            Assert.True(items.Length >= 2, $"User {line[0]} has {items.Length} items.");
            Assert.Equal(items.Length, items.Distinct().Count());
            Assert.All(items, id => Assert.InRange(id, 1, 1_000));
        });
        // Ids are numbered by first appearance, as in the public data sets.
        var seen = 0;
        foreach (var id in lines.SelectMany(l => l[1..]))
        {
            Assert.True(id <= seen + 1, $"Item {id} appears before item {seen + 1}.");
            seen = Math.Max(seen, id);
        }
    }

    [Fact]
    public void The_counts_are_what_was_asked_for()
    {
        var summary = SyntheticShop.Generate(Small(), (_, _) => { });
        Assert.Equal(2_000, summary.Buyers);
        Assert.InRange(summary.Interactions, 29_700, 30_000);
        Assert.InRange(summary.Products, 900, 1_000);

        var read = InteractionListFile.Read(WriteShop(Small(), "shop.txt"));
        Assert.Equal(summary.Interactions, read.Interactions);
        Assert.Equal(summary.Interactions, read.ToMatrix().NonZeros);
        Assert.Equal((2_000, summary.Products), (read.ToMatrix().Rows, read.ToMatrix().Columns));
    }

    [Fact]
    public void Popularity_is_skewed_and_activity_is_long_tailed()
    {
        var perItem = new int[1_000];
        var perUser = new List<int>();
        SyntheticShop.Generate(Small(), (_, products) =>
        {
            perUser.Add(products.Length);
            foreach (var p in products) perItem[p]++;
        });
        var byCount = perItem.Order().Reverse().ToArray();
        var total = (double)byCount.Sum();
        // Zipf-like: the top 1 % of items take far more than 1 % of the picks, the head far above the median.
        Assert.True(byCount[..10].Sum() / total > 0.08, $"Top 1 % share {byCount[..10].Sum() / total:P1}.");
        Assert.True(byCount[0] > 20 * byCount[500], $"Top item {byCount[0]}, median item {byCount[500]}.");
        // Log-normal activity: a floor of 2, a median below the mean, a long tail.
        var users = perUser.Order().ToArray();
        Assert.Equal(2, users[0]);
        Assert.True(users[users.Length / 2] < users.Average(), "The median user should be below the mean.");
        Assert.True(users[^1] > 5 * users.Average(), $"The heaviest user has only {users[^1]} items.");
    }

    [Fact]
    public void Buyers_keep_to_a_few_categories()
    {
        // With taste structure, two items of one buyer co-occur in other buyers far more often
        // than an item and a random one do; without it (CategoryShare 0) the lift is about 1.
        double Lift(double categoryShare)
        {
            var options = Small();
            options.CategoryShare = categoryShare;
            options.PopularityExponent = 0; // uniform popularity isolates the category effect
            options.Categories = 50;
            var rows = new List<int[]>();
            SyntheticShop.Generate(options, (_, products) => rows.Add(products.ToArray()));
            var sets = rows.Select(r => r.ToHashSet()).ToArray();
            var random = new Random(1);
            double together = 0, apart = 0;
            for (var t = 0; t < 2_000; t++)
            {
                var source = random.Next(rows.Count);
                var a = rows[source][0];
                var b = rows[source][1];
                var c = random.Next(options.Items);
                for (var other = 0; other < sets.Length; other++)
                {
                    var set = sets[other];
                    if (other == source || !set.Contains(a)) continue;
                    if (set.Contains(b)) together++;
                    if (set.Contains(c)) apart++;
                }
            }
            return together / Math.Max(1, apart);
        }
        var withCategories = Lift(0.8);
        var without = Lift(0);
        Assert.InRange(without, 0.8, 1.25);
        Assert.True(withCategories > 3, $"Lift with categories {withCategories:F2}, without {without:F2}.");
    }

    [Theory]
    [InlineData(0, 100, 1_000)]
    [InlineData(100, 1, 1_000)]
    [InlineData(100, 100, 150)]
    [InlineData(10, 20, 1_000)]
    public void Impossible_sizes_are_rejected(int users, int items, long interactions)
    {
        var options = new SyntheticShopOptions { Users = users, Items = items, Interactions = interactions };
        Assert.Throws<ArgumentException>(options.Validate);
    }
}
