using System.Buffers;

namespace Raven.Agent.Proxy;

/// <summary>
/// Copies one stream into another until the input ends: the bytes between a tunnel stream and its target socket at
/// the edge. (The front ends' forwarded bodies and upgrades are copied by YARP's forwarder, which this is modelled on.)
/// </summary>
/// <remarks>
/// The buffer is rented only while data flows: before each read a zero-byte read waits for data, so thousands of idle
/// tunnel streams hold no buffer. 64 KiB matches the size YARP settled on after measuring
/// (https://github.com/microsoft/reverse-proxy/pull/1206): bigger buffers bought no throughput on loopback or TLS.
/// </remarks>
public static class StreamCopier
{
    public const int BufferSize = 64 * 1024;

    /// <param name="autoFlush">Flush after every write; needed when the output buffers (HTTP bodies, tunnel streams)
    /// and the peer must see data as soon as it arrives.</param>
    public static async Task<StreamCopyOutcome> CopyAsync(
        Stream input, Stream output, bool autoFlush, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(clock);

        var started = clock.GetTimestamp();
        long total = 0;
        byte[]? buffer = null;
        var reading = true;
        try
        {
            while (true)
            {
                if (buffer is null)
                {
                    // Wait for data without holding a buffer.
                    reading = true;
                    await input.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                    buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                }

                reading = true;
                var read = await input.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return Done(StreamCopyResult.Success, null);
                }

                reading = false;
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                if (autoFlush)
                {
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                total += read;
                if (read < buffer.Length)
                {
                    // The peer is slower than us: give the buffer back and wait again with a zero-byte read.
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            return Done(StreamCopyResult.Canceled, ex);
        }
#pragma warning disable CA1031 // Any failure of either stream is reported as a value; the caller decides.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Done(reading ? StreamCopyResult.InputError : StreamCopyResult.OutputError, ex);
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        StreamCopyOutcome Done(StreamCopyResult result, Exception? error) =>
            new(result, total, clock.GetElapsedTime(started), error);
    }
}
