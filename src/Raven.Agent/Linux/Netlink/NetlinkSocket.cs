using System.Buffers.Binary;
using Raven.Agent.Linux.Native;

namespace Raven.Agent.Linux.Netlink;

/// <summary>
/// A netlink socket (NETLINK_ROUTE unless told otherwise) with request/ACK and dump handling. The socket belongs to
/// the network namespace of the thread that created it, for its whole life, whatever thread later uses it.
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    private const int ReceiveBufferSize = 1 << 17;
    private const int MaxDumpAttempts = 5;

    private readonly object _gate = new();
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferSize];
    private int _fd;
    private uint _sequence;

    private NetlinkSocket(int fd)
    {
        _fd = fd;
        _sequence = (uint)Environment.TickCount;
    }

    public static NetlinkSocket Open(int protocol = LibC.NetlinkRoute)
    {
        int fd = LibC.Socket(LinuxAf.Netlink, LibC.SockRaw | LibC.SockCloexec, protocol);
        if (fd < 0)
        {
            throw new NetlinkException($"socket(AF_NETLINK, {protocol}): {LibC.ErrorText(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
        }

        var socket = new NetlinkSocket(fd);
        try
        {
            socket.Configure();
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return socket;
    }

    /// <summary>Sends a request that must be acknowledged; throws <see cref="NetlinkException"/> on an error reply.</summary>
    public void Execute(NetlinkMessageBuilder request, string operation)
    {
        lock (_gate)
        {
            uint sequence = SendLocked(request, operation);
            ReceiveLocked(sequence, operation, _ => { });
        }
    }

    /// <summary>Runs a dump request and returns every reply message; retries when the kernel reports an interrupted dump.</summary>
    public List<NetlinkMessage> Dump(NetlinkMessageBuilder request, string operation)
    {
        lock (_gate)
        {
            for (int attempt = 1; ; attempt++)
            {
                var replies = new List<NetlinkMessage>();
                uint sequence = SendLocked(request, operation);
                bool interrupted = ReceiveLocked(sequence, operation, replies.Add);
                if (!interrupted)
                {
                    return replies;
                }

                if (attempt == MaxDumpAttempts)
                {
                    throw new NetlinkException($"{operation}: dump interrupted {attempt} times by concurrent changes");
                }
            }
        }
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            LibC.Close(fd);
        }
    }

    private void Configure()
    {
        int one = 1;
        // Best effort: extended ACKs give kernel error text, capped ACKs keep error replies small.
        LibC.SetSockOpt(_fd, LibC.SolNetlink, LibC.NetlinkExtAck, &one, sizeof(int));
        LibC.SetSockOpt(_fd, LibC.SolNetlink, LibC.NetlinkCapAck, &one, sizeof(int));

        // A reply never takes seconds; a bounded wait turns a lost reply into an error instead of a hang.
        long* timeout = stackalloc long[2] { 10, 0 };
        LibC.SetSockOpt(_fd, LibC.SolSocket, LibC.SoRcvTimeout, timeout, 16);

        byte* address = stackalloc byte[12];
        new Span<byte>(address, 12).Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(address, 2), LinuxAf.Netlink);
        if (LibC.Bind(_fd, address, 12) != 0)
        {
            throw new NetlinkException($"bind(AF_NETLINK): {LibC.ErrorText(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
        }
    }

    private uint SendLocked(NetlinkMessageBuilder request, string operation)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        uint sequence = ++_sequence;
        byte[] bytes = request.Build(sequence);
        fixed (byte* pointer = bytes)
        {
            while (true)
            {
                nint sent = LibC.Send(_fd, pointer, (nuint)bytes.Length, 0);
                if (sent == bytes.Length)
                {
                    return sequence;
                }

                int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (sent < 0 && errno == LibC.Eintr)
                {
                    continue;
                }

                throw new NetlinkException($"{operation}: send failed: {LibC.ErrorText(errno)}");
            }
        }
    }

    // Returns true when the kernel flagged the dump as interrupted (inconsistent), so the caller retries.
    private bool ReceiveLocked(uint sequence, string operation, Action<NetlinkMessage> onReply)
    {
        bool interrupted = false;
        while (true)
        {
            int length = ReceiveDatagram(operation);
            foreach (var message in NetlinkMessage.ParseAll(_receiveBuffer.AsMemory(0, length)))
            {
                if (message.Sequence != sequence)
                {
                    continue; // Late reply to an earlier request that already failed.
                }

                interrupted |= (message.Flags & NlmFlags.DumpInterrupted) != 0;
                switch (message.Type)
                {
                    case NlmsgType.Error:
                        var (errno, text) = NetlinkError.Parse(message);
                        if (errno != 0)
                        {
                            throw new NetlinkException(operation, errno, text);
                        }

                        return interrupted;
                    case NlmsgType.Done:
                        return interrupted;
                    case NlmsgType.Noop:
                        break;
                    case NlmsgType.Overrun:
                        throw new NetlinkException($"{operation}: netlink receive buffer overrun");
                    default:
                        onReply(new NetlinkMessage(message.Type, message.Flags, message.Sequence, message.PortId, message.Payload.ToArray()));
                        break;
                }
            }
        }
    }

    private int ReceiveDatagram(string operation)
    {
        fixed (byte* pointer = _receiveBuffer)
        {
            while (true)
            {
                nint received = LibC.Receive(_fd, pointer, (nuint)_receiveBuffer.Length, LibC.MsgTrunc);
                if (received >= 0)
                {
                    if (received > _receiveBuffer.Length)
                    {
                        throw new NetlinkException($"{operation}: reply of {received} bytes exceeds the {_receiveBuffer.Length}-byte buffer");
                    }

                    return (int)received;
                }

                int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == LibC.Eintr)
                {
                    continue;
                }

                string reason = errno == LibC.Eagain ? "no reply from the kernel within 10 s" : LibC.ErrorText(errno);
                throw new NetlinkException($"{operation}: receive failed: {reason}");
            }
        }
    }
}
