using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Raven.Lab.Build;

namespace Raven.Network.Tests.Lab;

/// <summary>
/// A UDP socket that lives in a lab namespace: created on a short-lived thread that first joins the namespace
/// (network namespaces are per thread), after which the socket stays bound to that namespace whichever thread uses it.
/// </summary>
internal sealed class NetnsUdp : IDisposable
{
    private const int CloneNewNet = 0x40000000;

    private NetnsUdp(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    public static NetnsUdp Bind(string netns, int port)
    {
        Socket? socket = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle(Path.Combine(LabBuilder.NetnsDirectory, netns));
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new IOException($"setns into {netns} failed: errno {Marshal.GetLastPInvokeError()}");
                }

                socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                socket.Bind(new IPEndPoint(IPAddress.Any, port));
            }
            catch (IOException e)
            {
                error = e;
            }
            catch (SocketException e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        return error is null ? new NetnsUdp(socket!) : throw new InvalidOperationException($"UDP socket in {netns}: {error.Message}", error);
    }

    public Task SendAsync(IPAddress address, int port, string text) =>
        Socket.SendToAsync(System.Text.Encoding.UTF8.GetBytes(text), new IPEndPoint(address, port));

    /// <summary>The next datagram and its source, or null if none arrives within the timeout.</summary>
    public async Task<(string Text, IPEndPoint From)?> ReceiveAsync(TimeSpan timeout)
    {
        var buffer = new byte[1500];
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            var result = await Socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cancel.Token);
            return (System.Text.Encoding.UTF8.GetString(buffer, 0, result.ReceivedBytes), (IPEndPoint)result.RemoteEndPoint);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => Socket.Dispose();

    // DllImport rather than LibraryImport: the latter needs unsafe code enabled for the whole test project.
    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);
}
