using Microsoft.AspNetCore.Http;
using Recommender.Api.Apis;

namespace Recommender.Tests.Api;

public sealed class ListQueryTests
{
    private static (bool Ok, ListQuery Query, string Error) Parse(string queryString)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(queryString);
        var ok = ListQuery.TryParse(context.Request, defaultTopK: 5, maxTopK: 100, maxOffset: 500, out var query, out var error);
        return (ok, query, error);
    }

    [Fact]
    public void Every_filter_is_read()
    {
        var (ok, query, _) = Parse("?top_k=7&offset=3&category_id=cat-1&seller_id=s-9&min_price=10.5&max_price=99&exclude=p1,%20p2,,p3&include_scores=true");

        Assert.True(ok);
        Assert.Equal(7, query.TopK);
        Assert.True(query.IncludeScores);
        Assert.Equal(3, query.Filter.Offset);
        Assert.Equal("cat-1", query.Filter.CategoryId);
        Assert.Equal("s-9", query.Filter.SellerId);
        Assert.Equal(10.5, query.Filter.MinPrice);
        Assert.Equal(99, query.Filter.MaxPrice);
        Assert.Equal(["p1", "p2", "p3"], query.Filter.Exclude.Order());
    }

    [Fact]
    public void Nothing_given_means_the_defaults()
    {
        var (ok, query, _) = Parse("");

        Assert.True(ok);
        Assert.Equal(5, query.TopK);
        Assert.False(query.IncludeScores);
        Assert.False(query.Filter.NarrowsProducts);
        Assert.Equal(0, query.Filter.Offset);
    }

    [Theory]
    [InlineData("?offset=-1", "offset")]
    [InlineData("?offset=x", "offset")]
    [InlineData("?offset=501", "MaxOffset")]
    [InlineData("?min_price=cheap", "min_price")]
    [InlineData("?min_price=-5", "min_price")]
    [InlineData("?max_price=NaN", "max_price")]
    [InlineData("?max_price=1e400", "max_price")]
    [InlineData("?min_price=10&max_price=5", "min_price")]
    [InlineData("?category_id=", "category_id")]
    [InlineData("?include_scores=yes", "include_scores")]
    [InlineData("?top_k=5&top_k=6", "top_k")]
    public void A_bad_value_is_refused_with_a_message_naming_it(string queryString, string named)
    {
        var (ok, _, error) = Parse(queryString);

        Assert.False(ok);
        Assert.Contains(named, error);
    }

    [Fact]
    public void Too_many_or_too_long_excluded_ids_are_refused()
    {
        Assert.False(Parse("?exclude=" + string.Join(',', Enumerable.Range(0, 201).Select(i => $"p{i}"))).Ok);
        Assert.False(Parse("?exclude=" + new string('x', 257)).Ok);
        Assert.True(Parse("?exclude=" + string.Join(',', Enumerable.Range(0, 200).Select(i => $"p{i}"))).Ok);
    }
}
