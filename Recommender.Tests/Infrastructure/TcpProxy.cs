using System.Net;
using System.Net.Sockets;

namespace Recommender.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay to a server, standing in for the network path to the shared PostgreSQL:
/// <see cref="CutAsync"/> drops every connection and refuses new ones, an outage as a replica
/// sees it, without touching the server other tests use.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _connections = [];
    private TcpListener _listener;
    private CancellationTokenSource _cut = new();
    private Task _accepting;

    public TcpProxy(string host, int port)
    {
        _target = new IPEndPoint(IPAddress.Parse(host), port);
        _listener = Listen(0);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    private static TcpListener Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        return listener;
    }

    /// <summary>Listens again on the same port after <see cref="CutAsync"/>: the database is back.</summary>
    public void Restore()
    {
        if (!_cut.IsCancellationRequested) return;
        _cut.Dispose();
        _cut = new CancellationTokenSource();
        _listener = Listen(Port);
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Stops listening and resets every relayed connection.</summary>
    public async Task CutAsync()
    {
        if (_cut.IsCancellationRequested) return;
        await _cut.CancelAsync();
        _listener.Stop();
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                // A reset, not a polite close: the peer sees what a dead host or a cut cable gives it.
                try { connection.Client?.LingerState = new LingerOption(true, 0); }
                catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
                connection.Dispose();
            }
            _connections.Clear();
        }
        try { await _accepting; }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    private async Task AcceptAsync()
    {
        while (!_cut.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_cut.Token);
            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(_target, _cut.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }
            lock (_connections)
            {
                _connections.Add(client);
                _connections.Add(server);
            }
            _ = RelayAsync(client, server);
            _ = RelayAsync(server, client);
        }
    }

    private async Task RelayAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), _cut.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException) { }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CutAsync();
        _cut.Dispose();
    }
}
