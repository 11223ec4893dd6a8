using System.Diagnostics;
using System.Text;

namespace Recommender.Tests.Infrastructure;

/// <summary>
/// The service as its own process (the Recommender.Api.dll built beside the tests), for what only
/// a process shows: that it exits on SIGTERM. Killed with its children when disposed.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process) => _process = process;

    public static ServiceProcess Start(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Recommender.Api.dll")])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["Urls"] = "http://127.0.0.1:0";
        // The environment the tests run in must not leak a shop or a key into the service.
        start.Environment["API_KEY"] = "";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, line) => service.Append(line.Data);
        process.ErrorDataReceived += (_, line) => service.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public string Output()
    {
        lock (_output) return _output.ToString();
    }

    public string OutputTail(int characters = 4000)
    {
        var output = Output();
        return output.Length <= characters ? output : output[^characters..];
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output().Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited) throw new InvalidOperationException($"The service exited ({_process.ExitCode}) before writing '{text}':\n{OutputTail()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The service did not write '{text}':\n{OutputTail()}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGTERM, as an orchestrator stops a container (bash's own kill: no procps needed).</summary>
    public void Terminate()
    {
        using var kill = Process.Start("bash", ["-c", $"kill -TERM {_process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}"]);
        kill.WaitForExit();
    }

    /// <summary>Whether the process exited within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var bound = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(bound.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
