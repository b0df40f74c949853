using System.Buffers.Binary;
using System.Net.Sockets;

namespace Raven.Agent.Tests.IPsec;

/// <summary>
/// A Unix-socket stand-in for charon: records every segment a client sends (hex, length prefix included) and
/// answers each with the segments <c>reply</c> returns for it; null means hang (keep the connection, never answer),
/// an empty string closes the connection at that point.
/// </summary>
internal sealed class FakeViciServer : IDisposable
{
    private readonly Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public FakeViciServer(string socketPath, Func<string, IReadOnlyList<string>?> reply)
    {
        SocketPath = socketPath;
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen();
        loop = Task.Run(() => AcceptAsync(reply));
    }

    public string SocketPath { get; }

    public List<string> Received { get; } = [];

    public int Connections { get; private set; }

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
            // Ends with a cancellation or a disposed socket.
        }

        stop.Dispose();
        File.Delete(SocketPath);
    }

    private async Task AcceptAsync(Func<string, IReadOnlyList<string>?> reply)
    {
        while (!stop.IsCancellationRequested)
        {
            var connection = await listener.AcceptAsync(stop.Token);
            Connections++;
            _ = Task.Run(() => ServeAsync(connection, reply));
        }
    }

    private async Task ServeAsync(Socket connection, Func<string, IReadOnlyList<string>?> reply)
    {
        using (connection)
        {
            try
            {
                while (true)
                {
                    var prefix = new byte[4];
                    if (!await ReadAsync(connection, prefix))
                    {
                        return;
                    }

                    var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(prefix)];
                    if (!await ReadAsync(connection, payload))
                    {
                        return;
                    }

                    var segment = Convert.ToHexStringLower([.. prefix, .. payload]);
                    lock (Received)
                    {
                        Received.Add(segment);
                    }

                    var answers = reply(segment);
                    if (answers is null)
                    {
                        await Task.Delay(Timeout.Infinite, stop.Token);
                    }

                    foreach (var answer in answers!)
                    {
                        if (answer.Length == 0)
                        {
                            return;
                        }

                        await connection.SendAsync(Convert.FromHexString(answer), SocketFlags.None, stop.Token);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Test over or client gone.
            }
        }
    }

    private async Task<bool> ReadAsync(Socket connection, byte[] buffer)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await connection.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, stop.Token);
            if (read == 0)
            {
                return false;
            }

            filled += read;
        }

        return true;
    }
}
