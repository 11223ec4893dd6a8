using Microsoft.Extensions.Options;
using Recommender.Api.Catalog;
using Recommender.Api.Options;
using Recommender.Api.Serving;
using Recommender.Tests.Fakes;

namespace Recommender.Tests.Api;

/// <summary>What a swap builds, and what a periodic re-read of unchanged rows keeps.</summary>
public sealed class ServingStateTests
{
    [Fact]
    public async Task A_snapshot_serves_with_its_content_neighbours_built_and_rows_read_again_unchanged_keep_them()
    {
        var state = new ServingState(Options.Create(new RecommenderOptions()));
        var shop = new InMemoryShopDatabase().AddProduct("p1").AddProduct("p2");
        state.Update(TestModels.WithScores(1, ["alice"], ["p1", "p2"], [2f, 1f]), await ProductCatalog.ReadAsync(shop, TimeProvider.System, CancellationToken.None));
        var first = state.Current!;
        // Built before the swap: no request waits while every row is parsed.
        Assert.True(first.ContentBuilt);

        var again = await ProductCatalog.ReadAsync(shop, TimeProvider.System, CancellationToken.None);
        Assert.False(state.Refresh(again));
        Assert.Same(again, state.Current!.Catalog);
        Assert.Same(first.Content, state.Current.Content);
        Assert.Same(first.Rows, state.Current.Rows);

        shop.AddProduct("p3");
        Assert.True(state.Refresh(await ProductCatalog.ReadAsync(shop, TimeProvider.System, CancellationToken.None)));
        Assert.NotSame(first.Content, state.Current.Content);
        Assert.Equal(first.ProductCount + 1, state.Current.ProductCount);
        Assert.True(state.Current.ContentBuilt);
    }
}
