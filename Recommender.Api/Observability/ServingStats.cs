using System.Numerics;
using Recommender.Api.Serving;

namespace Recommender.Api.Observability;

/// <summary>
/// What this instance served over the last <see cref="WindowMinutes"/> minutes, for the dashboard
/// without a Prometheus server: requests, their latency distribution, and the lists served by
/// source. One slot per minute in a ring, each a latency histogram (eight buckets per doubling,
/// so a percentile is within 6 % of the truth) and a counter per list and source. Recording is a
/// few interlocked increments; a slot is cleared by the first request of its new minute.
/// Counts at a minute boundary may land in the neighbouring minute, which a rate over 15 minutes
/// does not notice.
/// </summary>
public sealed class ServingStats
{
    public const int WindowMinutes = 15;

    /// <summary>The lists and sources counted, in the order of <see cref="ServingWindow.Lists"/>.</summary>
    public static readonly string[] Lists = ["recommendations", "similar", "trending"];
    public static readonly string[] Sources = [ListSource.Personalized, ListSource.Similar, ListSource.Trending, ListSource.Popular];

    // One slot more than the window: the slot a new minute clears is never one being read.
    private const int Slots = WindowMinutes + 1;
    private const int SubBuckets = 8;
    private const int LatencyBuckets = 40 * SubBuckets;   // up to 2^41 µs: anything a request can take

    private readonly TimeProvider _clock;
    private readonly long _ticksPerMinute;
    private readonly long _started;
    private readonly Slot[] _slots = new Slot[Slots];

    public ServingStats(TimeProvider clock)
    {
        _clock = clock;
        _ticksPerMinute = clock.TimestampFrequency * 60;
        _started = clock.GetTimestamp();
        for (var s = 0; s < Slots; s++)
            _slots[s] = new Slot();
    }

    /// <summary>Records one request, as the request-metrics middleware sees it end.</summary>
    public void RequestServed(TimeSpan elapsed, int statusCode)
    {
        var slot = Current();
        Interlocked.Increment(ref slot.Latency[BucketOf(elapsed)]);
        if (statusCode >= 500) Interlocked.Increment(ref slot.ServerErrors);
        else if (statusCode >= 400) Interlocked.Increment(ref slot.ClientErrors);
    }

    /// <summary>Records one list served under the source of its first product (as Prometheus counts it).</summary>
    public void ListServed(string list, string firstSource)
    {
        var l = Array.IndexOf(Lists, list);
        var s = Array.IndexOf(Sources, firstSource);
        if (l < 0 || s < 0) return;
        Interlocked.Increment(ref Current().ListsBySource[l * Sources.Length + s]);
    }

    /// <summary>The last <see cref="WindowMinutes"/> minutes, the current partial one included, oldest first.</summary>
    public ServingWindow Read()
    {
        var now = _clock.GetTimestamp();
        var minute = now / _ticksPerMinute;
        var firstMinute = Math.Max(minute - WindowMinutes + 1, _started / _ticksPerMinute);
        var total = new long[LatencyBuckets];
        var lists = new long[Lists.Length * Sources.Length];
        var minutes = new List<ServingMinute>();
        long clientErrors = 0, serverErrors = 0;
        for (var m = firstMinute; m <= minute; m++)
        {
            var slot = _slots[m % Slots];
            var latency = new long[LatencyBuckets];
            long requests = 0;
            if (Volatile.Read(ref slot.Minute) == m)
            {
                for (var b = 0; b < LatencyBuckets; b++)
                {
                    latency[b] = Volatile.Read(ref slot.Latency[b]);
                    total[b] += latency[b];
                    requests += latency[b];
                }
                for (var i = 0; i < lists.Length; i++)
                    lists[i] += Volatile.Read(ref slot.ListsBySource[i]);
                clientErrors += Volatile.Read(ref slot.ClientErrors);
                serverErrors += Volatile.Read(ref slot.ServerErrors);
            }
            var seconds = SecondsOf(m, now);
            minutes.Add(new ServingMinute(
                StartedSecondsAgo: (now - m * _ticksPerMinute) / (double)_clock.TimestampFrequency,
                Requests: requests,
                RequestsPerSecond: seconds > 0 ? requests / seconds : 0,
                P50Milliseconds: Percentile(latency, requests, 0.50),
                P99Milliseconds: Percentile(latency, requests, 0.99)));
        }

        var count = minutes.Sum(m => m.Requests);
        var windowSeconds = (now - Math.Max(firstMinute * _ticksPerMinute, _started)) / (double)_clock.TimestampFrequency;
        var byList = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        for (var l = 0; l < Lists.Length; l++)
        {
            byList[Lists[l]] = new Dictionary<string, long>(StringComparer.Ordinal);
            for (var s = 0; s < Sources.Length; s++)
                byList[Lists[l]][Sources[s]] = lists[l * Sources.Length + s];
        }
        return new ServingWindow(
            WindowSeconds: windowSeconds,
            Requests: count,
            RequestsPerSecond: windowSeconds > 0 ? count / windowSeconds : 0,
            P50Milliseconds: Percentile(total, count, 0.50),
            P99Milliseconds: Percentile(total, count, 0.99),
            ClientErrors: clientErrors,
            ServerErrors: serverErrors,
            Lists: byList,
            Minutes: minutes);
    }

    /// <summary>The bucket of a duration: exact below 8 µs, then eight per doubling.</summary>
    internal static int BucketOf(TimeSpan elapsed)
    {
        var micros = (ulong)Math.Max(0, elapsed.Ticks / 10);
        if (micros < SubBuckets) return (int)micros;
        var log = BitOperations.Log2(micros);                       // ≥ 3
        var sub = (int)(micros >> (log - 3)) & (SubBuckets - 1);     // the three bits after the leading one
        return Math.Min(LatencyBuckets - 1, (log - 2) * SubBuckets + sub);
    }

    /// <summary>The middle of a bucket, in microseconds.</summary>
    internal static double MiddleOf(int bucket)
    {
        if (bucket < SubBuckets) return bucket + 0.5;
        var log = bucket / SubBuckets + 2;
        var sub = bucket % SubBuckets;
        var width = 1L << (log - 3);
        return (SubBuckets + sub) * (double)width + width / 2.0;
    }

    private static double? Percentile(long[] histogram, long count, double quantile)
    {
        if (count == 0) return null;
        var rank = (long)Math.Ceiling(quantile * count);
        long seen = 0;
        for (var b = 0; b < histogram.Length; b++)
        {
            seen += histogram[b];
            if (seen >= rank) return MiddleOf(b) / 1000.0;
        }
        return MiddleOf(histogram.Length - 1) / 1000.0;
    }

    /// <summary>Seconds of minute <paramref name="m"/> that have passed while this instance ran.</summary>
    private double SecondsOf(long m, long now)
    {
        var start = Math.Max(m * _ticksPerMinute, _started);
        var end = Math.Min((m + 1) * _ticksPerMinute, now);
        return Math.Max(0, end - start) / (double)_clock.TimestampFrequency;
    }

    private Slot Current()
    {
        var minute = _clock.GetTimestamp() / _ticksPerMinute;
        var slot = _slots[minute % Slots];
        if (Volatile.Read(ref slot.Minute) != minute)
        {
            lock (slot)
            {
                if (slot.Minute != minute)
                {
                    Array.Clear(slot.Latency);
                    Array.Clear(slot.ListsBySource);
                    slot.ClientErrors = 0;
                    slot.ServerErrors = 0;
                    Volatile.Write(ref slot.Minute, minute);
                }
            }
        }
        return slot;
    }

    private sealed class Slot
    {
        public long Minute = -1;
        public readonly long[] Latency = new long[LatencyBuckets];
        public readonly long[] ListsBySource = new long[Lists.Length * Sources.Length];
        public long ClientErrors;
        public long ServerErrors;
    }
}

/// <summary>One minute of <see cref="ServingStats"/>; latencies are null for a minute without requests.</summary>
public sealed record ServingMinute(double StartedSecondsAgo, long Requests, double RequestsPerSecond, double? P50Milliseconds, double? P99Milliseconds);

/// <summary>The window <see cref="ServingStats.Read"/> returns; <c>Lists</c> counts lists by list and first source.</summary>
public sealed record ServingWindow(
    double WindowSeconds,
    long Requests,
    double RequestsPerSecond,
    double? P50Milliseconds,
    double? P99Milliseconds,
    long ClientErrors,
    long ServerErrors,
    IReadOnlyDictionary<string, Dictionary<string, long>> Lists,
    IReadOnlyList<ServingMinute> Minutes);
