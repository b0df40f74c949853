using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Raven.Agent.Benchmark;

/// <summary>
/// The benchmark endpoint's wire format over TCP. The client opens with a 37-byte hello: "RVB1", a mode byte
/// (<see cref="Echo"/> or <see cref="Throughput"/>) and the request's 32-byte token; the server closes without a word on
/// anything else. Echo: the server returns every 8-byte frame. Throughput: the client sends until it shuts its write
/// side; the server answers with the bytes it counted (8 bytes, big-endian) and closes.
/// </summary>
public static class BenchmarkWire
{
    public const byte Echo = (byte)'E';
    public const byte Throughput = (byte)'T';
    public const int EchoFrame = 8;
    public const int HelloLength = 4 + 1 + 32;

    private static ReadOnlySpan<byte> Magic => "RVB1"u8;

    public static byte[] Hello(byte mode, ReadOnlySpan<byte> token)
    {
        var hello = new byte[HelloLength];
        Magic.CopyTo(hello);
        hello[4] = mode;
        token.CopyTo(hello.AsSpan(5));
        return hello;
    }

    /// <summary>The mode of a valid hello carrying <paramref name="token"/>; null otherwise (compared in constant time).</summary>
    public static byte? Check(ReadOnlySpan<byte> hello, ReadOnlySpan<byte> token)
    {
        if (hello.Length != HelloLength || !hello[..4].SequenceEqual(Magic) || hello[4] is not (Echo or Throughput))
        {
            return null;
        }

        return CryptographicOperations.FixedTimeEquals(hello[5..], token) ? hello[4] : null;
    }

    public static byte[] Count(long bytes)
    {
        var buffer = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, bytes);
        return buffer;
    }

    public static long ReadCount(ReadOnlySpan<byte> buffer) => BinaryPrimitives.ReadInt64BigEndian(buffer);

    /// <summary>Fills <paramref name="buffer"/>; false when the peer closed first.</summary>
    public static async Task<bool> ReadExactlyAsync(NetworkStream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
