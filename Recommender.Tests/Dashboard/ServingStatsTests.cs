using Microsoft.Extensions.Time.Testing;
using Recommender.Api.Observability;

namespace Recommender.Tests.Dashboard;

/// <summary>The dashboard's serving counters: a ring of minutes, percentiles from log buckets.</summary>
public sealed class ServingStatsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(0.003)]
    [InlineData(0.25)]
    [InlineData(0.4)]
    [InlineData(1.0)]
    [InlineData(4.5)]
    [InlineData(120.0)]
    [InlineData(30_000.0)]
    public void A_duration_is_read_back_within_its_bucket(double milliseconds)
    {
        var bucket = ServingStats.BucketOf(TimeSpan.FromMilliseconds(milliseconds));

        var middle = ServingStats.MiddleOf(bucket) / 1000;

        Assert.InRange(middle, milliseconds * 0.93, milliseconds * 1.07 + 0.001);
    }

    [Fact]
    public void Percentiles_follow_the_recorded_latencies()
    {
        var stats = new ServingStats(_clock);
        _clock.Advance(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 97; i++) stats.RequestServed(TimeSpan.FromMilliseconds(0.5), 200);
        for (var i = 0; i < 3; i++) stats.RequestServed(TimeSpan.FromMilliseconds(80), 200);

        var window = stats.Read();

        Assert.Equal(100, window.Requests);
        Assert.InRange(window.P50Milliseconds!.Value, 0.47, 0.53);
        Assert.InRange(window.P99Milliseconds!.Value, 75, 85);
        Assert.Equal(10.0, window.RequestsPerSecond, precision: 6);   // 100 requests in the 10 s it has run
    }

    [Fact]
    public void Errors_are_counted_apart_and_still_count_as_requests()
    {
        var stats = new ServingStats(_clock);
        stats.RequestServed(TimeSpan.FromMilliseconds(1), 200);
        stats.RequestServed(TimeSpan.FromMilliseconds(1), 401);
        stats.RequestServed(TimeSpan.FromMilliseconds(1), 429);
        stats.RequestServed(TimeSpan.FromMilliseconds(1), 500);

        var window = stats.Read();

        Assert.Equal((4L, 2L, 1L), (window.Requests, window.ClientErrors, window.ServerErrors));
    }

    [Fact]
    public void Requests_older_than_the_window_are_forgotten_and_minutes_are_kept_apart()
    {
        var stats = new ServingStats(_clock);
        stats.RequestServed(TimeSpan.FromMilliseconds(1), 200);
        _clock.Advance(TimeSpan.FromMinutes(ServingStats.WindowMinutes + 1));
        stats.RequestServed(TimeSpan.FromMilliseconds(1), 200);
        stats.RequestServed(TimeSpan.FromMilliseconds(1), 200);
        _clock.Advance(TimeSpan.FromMinutes(1));
        stats.RequestServed(TimeSpan.FromMilliseconds(1), 200);
        _clock.Advance(TimeSpan.FromSeconds(30));

        var window = stats.Read();

        Assert.Equal(3, window.Requests);
        Assert.Equal(ServingStats.WindowMinutes, window.Minutes.Count);
        Assert.Equal([2L, 1L], window.Minutes.TakeLast(2).Select(m => m.Requests));
        Assert.All(window.Minutes.SkipLast(2), minute => Assert.Equal(0, minute.Requests));
        // Fourteen whole minutes and the 30 s of the current one.
        Assert.Equal((ServingStats.WindowMinutes - 1) * 60.0 + 30, window.WindowSeconds, precision: 6);
    }

    [Fact]
    public void A_slot_reused_a_window_later_starts_from_zero()
    {
        var stats = new ServingStats(_clock);
        for (var i = 0; i < 5; i++) stats.ListServed("recommendations", "personalized");
        _clock.Advance(TimeSpan.FromMinutes(ServingStats.WindowMinutes + 1));   // the same slot of the ring again
        stats.ListServed("recommendations", "trending");

        var lists = stats.Read().Lists;

        Assert.Equal(0, lists["recommendations"]["personalized"]);
        Assert.Equal(1, lists["recommendations"]["trending"]);
    }

    [Fact]
    public void Lists_are_counted_by_list_and_first_source_and_unknown_names_are_ignored()
    {
        var stats = new ServingStats(_clock);
        stats.ListServed("recommendations", "personalized");
        stats.ListServed("recommendations", "personalized");
        stats.ListServed("recommendations", "popular");
        stats.ListServed("similar", "similar");
        stats.ListServed("trending", "trending");
        stats.ListServed("something-else", "personalized");

        var lists = stats.Read().Lists;

        Assert.Equal(2, lists["recommendations"]["personalized"]);
        Assert.Equal(1, lists["recommendations"]["popular"]);
        Assert.Equal(1, lists["similar"]["similar"]);
        Assert.Equal(1, lists["trending"]["trending"]);
        Assert.Equal(5, lists.Values.Sum(bySource => bySource.Values.Sum()));
    }

    [Fact]
    public void Without_requests_there_is_no_latency_rather_than_a_zero()
    {
        var window = new ServingStats(_clock).Read();

        Assert.Equal(0, window.Requests);
        Assert.Null(window.P50Milliseconds);
        Assert.Null(window.P99Milliseconds);
    }
}
