using System.Net.Sockets;
using System.Text;

namespace Raven.Agent.Tests.WireGuard;

/// <summary>
/// A Unix-socket server that records each UAPI request and answers with a canned reply; a null reply means hang
/// (keep the connection open and never answer).
/// </summary>
internal sealed class FakeUapiServer : IDisposable
{
    private readonly Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly Task loop;
    private readonly CancellationTokenSource stop = new();

    public FakeUapiServer(string socketPath, Func<string, string?> reply)
    {
        SocketPath = socketPath;
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen();
        loop = Task.Run(() => ServeAsync(reply));
    }

    public string SocketPath { get; }

    public List<string> Requests { get; } = [];

    public void Dispose()
    {
        stop.Cancel();
        listener.Dispose();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends with a cancellation or a disposed socket.
        }

        stop.Dispose();
        File.Delete(SocketPath);
    }

    private async Task ServeAsync(Func<string, string?> reply)
    {
        while (!stop.IsCancellationRequested)
        {
            using var connection = await listener.AcceptAsync(stop.Token);
            var request = new StringBuilder();
            var buffer = new byte[1024];
            while (!request.ToString().EndsWith("\n\n", StringComparison.Ordinal))
            {
                var read = await connection.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                if (read == 0)
                {
                    break;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            lock (Requests)
            {
                Requests.Add(request.ToString());
            }

            var answer = reply(request.ToString());
            if (answer is null)
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }

            await connection.SendAsync(Encoding.ASCII.GetBytes(answer!), SocketFlags.None, stop.Token);
        }
    }
}
