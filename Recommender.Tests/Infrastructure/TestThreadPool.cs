using System.Runtime.CompilerServices;

namespace Recommender.Tests.Infrastructure;

internal static class TestThreadPool
{
    /// <summary>
    /// Test classes run in parallel, each hosting a whole service whose background loops (polls,
    /// refreshes, trainings) wait for pool threads; on two busy cores the pool's slow thread
    /// injection can stall those loops for seconds and fail a timing bound for no fault of the
    /// code under test. Enough threads from the start keeps the bounds about the service.
    /// </summary>
    [ModuleInitializer]
    internal static void Start()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
    }
}
