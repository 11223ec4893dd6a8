namespace Recommender.Tests.Infrastructure;

/// <summary>
/// Waits on the wall clock for what a real background thread or a real database does in its own
/// time: a service starting, a poll against PostgreSQL, a replica catching up. The limit is
/// generous because it only bounds a hang; how long the wait took is never asserted, so a loaded
/// machine makes a test slower, not red. Time the service itself measures is a
/// <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/> advanced by the test instead.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(25);

    /// <summary>Waits until <paramref name="condition"/> holds; fails naming <paramref name="what"/> if it never does.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? limit = null) =>
        await ReturnsAsync(condition, held => held, what, limit);

    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? limit = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, limit);

    /// <summary>Reads until <paramref name="done"/> holds for what was read, and returns that.</summary>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? limit = null)
    {
        var wait = limit ?? DefaultLimit;
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var last = await read();
            if (done(last)) return last;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Waited {wait.TotalSeconds:F0} s for {what}, and it did not happen; the last read was {Describe(last)}.");
            await Task.Delay(Pause);
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "nothing",
        string text => text,
        System.Runtime.CompilerServices.ITuple tuple => $"({string.Join(", ", Enumerable.Range(0, tuple.Length).Select(i => Describe(tuple[i])))})",
        System.Collections.IEnumerable items => $"[{string.Join(", ", items.Cast<object?>().Select(Describe))}]",
        _ => value.ToString() ?? "",
    };
}
