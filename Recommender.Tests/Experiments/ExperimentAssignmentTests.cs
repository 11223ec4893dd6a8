using Recommender.Api.Experiments;
using Recommender.Api.Options;

namespace Recommender.Tests.Experiments;

/// <summary>Buyers are split by a stable hash of the salt and their id: the same everywhere, reshuffled by a new salt.</summary>
public sealed class ExperimentAssignmentTests
{
    private static ExperimentAssignment Assignment(string salt, params (string Name, double Share)[] variants) =>
        new(Microsoft.Extensions.Options.Options.Create(new RecommenderOptions
        {
            Experiments = new ExperimentOptions
            {
                Name = "test",
                Salt = salt,
                Variants = [.. variants.Select(v => new VariantOptions { Name = v.Name, Share = v.Share })],
            },
        }));

    private static readonly string[] Buyers = [.. Enumerable.Range(0, 20_000).Select(b => $"buyer-{b:D5}")];

    [Fact]
    public void The_same_buyer_gets_the_same_variant_on_every_replica()
    {
        var replica1 = Assignment("s1", ("a", 0.5), ("b", 0.5));
        var replica2 = Assignment("s1", ("a", 0.5), ("b", 0.5));

        Assert.All(Buyers, buyer => Assert.Equal(replica1.VariantOf(buyer), replica2.VariantOf(buyer)));
        // A known answer, so a change of hash (which would reshuffle running experiments) fails here.
        Assert.Equal(0.9793422209459602, ExperimentAssignment.PointOf("s1\u001f", "buyer-00001"), 12);
        Assert.Equal("b", replica1.VariantOf("buyer-00001"));
    }

    [Fact]
    public void Buyers_are_split_by_the_shares_and_the_rest_stay_on_the_default()
    {
        var assignment = Assignment("s1", ("a", 0.2), ("b", 0.3));

        var counts = Buyers.GroupBy(assignment.VariantOf).ToDictionary(g => g.Key, g => g.Count() / (double)Buyers.Length);

        Assert.Equal(0.2, counts["a"], 0.02);
        Assert.Equal(0.3, counts["b"], 0.02);
        Assert.Equal(0.5, counts[ExperimentOptions.Default], 0.02);
    }

    [Fact]
    public void Changing_the_salt_reshuffles_the_buyers()
    {
        var before = Assignment("s1", ("a", 0.5), ("b", 0.5));
        var after = Assignment("s2", ("a", 0.5), ("b", 0.5));

        var moved = Buyers.Count(buyer => before.VariantOf(buyer) != after.VariantOf(buyer)) / (double)Buyers.Length;

        Assert.Equal(0.5, moved, 0.03);
    }

    [Fact]
    public void Removing_the_experiment_returns_everyone_to_the_default()
    {
        var none = new ExperimentAssignment(Microsoft.Extensions.Options.Options.Create(new RecommenderOptions()));

        Assert.All(Buyers.Take(1000), buyer => Assert.Equal(ExperimentOptions.Default, none.VariantOf(buyer)));
    }
}
