using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Recommender.Api.Cluster;

/// <summary>
/// Quartz's clustered job store, during a database outage, logs every failed attempt with a stack
/// trace from several parts at once (thousands of lines in minutes). Its categories pass through
/// this filter: an entry caused by the database being unreachable is counted, not written; the
/// first one writes one warning, and the cluster manager's next successful check-in writes one
/// warning that the database is back, with the number of failed attempts. Everything else Quartz
/// logs passes unchanged.
/// </summary>
public sealed partial class QuartzOutageLogging(ILogger logger)
{
    /// <summary>Quartz's cluster manager's "Check-in complete" (debug), written after each successful check-in.</summary>
    private const int CheckInCompleteEventId = 3513;
    private const string ClusterManagerCategory = "Quartz.Impl.AdoJobStore.ClusterManager";

    private readonly Lock _gate = new();
    private int _failures;

    /// <summary>Makes the service's logger factory filter Quartz's categories through a new <see cref="QuartzOutageLogging"/>.</summary>
    public static void Register(IServiceCollection services)
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory))
            ?? throw new InvalidOperationException("Logging must be registered before the cluster.");
        services.RemoveAll<ILoggerFactory>();
        services.AddSingleton<ILoggerFactory>(sp =>
        {
            var inner = original.ImplementationFactory?.Invoke(sp) as ILoggerFactory
                ?? original.ImplementationInstance as ILoggerFactory
                ?? (ILoggerFactory)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!);
            return new FilteringFactory(inner, new QuartzOutageLogging(inner.CreateLogger<QuartzOutageLogging>()));
        });
    }

    /// <summary>Whether an entry is the database being out of reach: a connection that failed, was refused, reset or timed out.</summary>
    public static bool IsDatabaseUnreachable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is NpgsqlException { IsTransient: true } or SocketException or TimeoutException or EndOfStreamException)
                return true;
        return false;
    }

    private void Failed(Exception exception)
    {
        lock (_gate)
            if (_failures++ > 0) return;
        LogDatabaseGone(exception.GetBaseException().Message);
    }

    private void CheckedIn()
    {
        int failures;
        lock (_gate)
        {
            (failures, _failures) = (_failures, 0);
        }
        if (failures > 0) LogDatabaseBack(failures);
    }

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "The training schedule (Quartz) cannot reach the database: {Reason}. Its retries are counted, not logged, until the database is back")]
    private partial void LogDatabaseGone(string reason);

    [LoggerMessage(EventId = 5302, Level = LogLevel.Warning, Message = "The training schedule (Quartz) reaches the database again after {Failures} failed attempts")]
    private partial void LogDatabaseBack(int failures);

    private sealed class FilteringFactory(ILoggerFactory inner, QuartzOutageLogging outage) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName)
        {
            var logger = inner.CreateLogger(categoryName);
            return categoryName.StartsWith("Quartz", StringComparison.Ordinal)
                ? new FilteringLogger(logger, outage, categoryName == ClusterManagerCategory)
                : logger;
        }

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class FilteringLogger(ILogger inner, QuartzOutageLogging outage, bool isClusterManager) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        // The cluster manager's debug check-in is the sign that the database is back, seen even when debug is not written.
        public bool IsEnabled(LogLevel logLevel) =>
            inner.IsEnabled(logLevel) || (isClusterManager && logLevel == LogLevel.Debug) || logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning && IsDatabaseUnreachable(exception))
            {
                outage.Failed(exception!);
                return;
            }
            if (isClusterManager && eventId.Id == CheckInCompleteEventId) outage.CheckedIn();
            if (inner.IsEnabled(logLevel)) inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
