using System.Net;
using System.Net.Sockets;

namespace Accounting.TrainerAdapters.Tests.Support;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of the real service that breaks real connections: it resets the client's
/// connection instead of passing on the first <c>drops</c> answers (the service has handled those requests), and with
/// <c>hold</c> it takes requests in and never answers.
/// </summary>
internal sealed class FaultyProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly bool _hold;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = [];
    private int _dropsLeft;
    private long _bytesIn;

    public FaultyProxy(Uri target, int drops = 0, bool hold = false)
    {
        _target = target;
        _dropsLeft = drops;
        _hold = hold;
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>Where clients connect.</summary>
    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Answers the service gave that never reached the client.</summary>
    public int Dropped { get; private set; }

    /// <summary>Request bytes taken in from clients.</summary>
    public long BytesIn => Interlocked.Read(ref _bytesIn);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_connections)
        {
            _connections.ForEach(c => c.Dispose());
        }
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_connections)
            {
                _connections.Add(client);
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        try
        {
            using var server = new TcpClient();
            await server.ConnectAsync(_target.Host, _target.Port, _stop.Token);
            var up = CopyAsync(client.GetStream(), _hold ? Stream.Null : server.GetStream());
            var buffer = new byte[64 * 1024];
            var down = server.GetStream();
            while (await down.ReadAsync(buffer, _stop.Token) is > 0 and var read)
            {
                if (Interlocked.Decrement(ref _dropsLeft) >= 0)
                {
                    Dropped++;
                    client.Client.LingerState = new LingerOption(true, 0); // close with a reset, as a dropped connection looks
                    client.Close();
                    return;
                }
                await client.GetStream().WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
            await up;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // one side went away: so does the relay
        }
        finally
        {
            client.Dispose();
        }
    }

    private async Task CopyAsync(Stream from, Stream to)
    {
        var buffer = new byte[64 * 1024];
        while (await from.ReadAsync(buffer, _stop.Token) is > 0 and var read)
        {
            Interlocked.Add(ref _bytesIn, read);
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }
}
