using System.Buffers.Binary;
using System.Diagnostics;

namespace Raven.Bench.Proxy;

/// <summary>The four issue-6 measurements, each run the same way over a given path.</summary>
internal static class Measurements
{
    public sealed record Latency(double P50Micros, double P99Micros, int Count);

    public sealed record Concurrent(int Streams, int Succeeded, TimeSpan Elapsed, double WorkingSetKiBPerStream, double ManagedKiBPerStream);

    /// <summary>Writes <paramref name="bytes"/> in 64 KiB chunks to the sink, half-closes and waits for its byte count.</summary>
    public static async Task<double> TransferGbitPerSecondAsync(IPath path, LoopbackTargets targets, long bytes)
    {
        var chunk = new byte[64 * 1024];
        Random.Shared.NextBytes(chunk);
        var clock = Stopwatch.StartNew();
        await using var stream = await path.OpenAsync(targets.Sink);
        for (long sent = 0; sent < bytes; sent += chunk.Length)
        {
            await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, bytes - sent)));
        }

        await path.CompleteWritesAsync(stream);
        var answer = new byte[8];
        await stream.ReadExactlyAsync(answer);
        var elapsed = clock.Elapsed;
        long received = BinaryPrimitives.ReadInt64BigEndian(answer);
        if (received != bytes)
        {
            throw new InvalidOperationException($"{path.Name}: sink counted {received} bytes, sent {bytes}");
        }

        return bytes * 8 / elapsed.TotalSeconds / 1e9;
    }

    /// <summary>Round trips of a 64-byte request on one established stream.</summary>
    public static async Task<Latency> RoundTripsAsync(IPath path, LoopbackTargets targets, int count)
    {
        await using var stream = await path.OpenAsync(targets.Echo);
        var request = new byte[64];
        var response = new byte[64];
        var samples = new double[count];
        for (int i = -100; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await stream.WriteAsync(request);
            await stream.ReadExactlyAsync(response);
            if (i >= 0)
            {
                samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }

        return Summarize(samples);
    }

    /// <summary>Open a new stream, one 64-byte round trip, close: what a short request (kubectl exec, logs) pays.</summary>
    public static async Task<Latency> OpenAndRequestAsync(IPath path, LoopbackTargets targets, int count)
    {
        var samples = new double[count];
        var buffer = new byte[64];
        for (int i = -20; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await using (var stream = await path.OpenAsync(targets.Echo))
            {
                await stream.WriteAsync(buffer);
                await stream.ReadExactlyAsync(buffer);
            }

            if (i >= 0)
            {
                samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }

        return Summarize(samples);
    }

    /// <summary>
    /// Opens <paramref name="streams"/> streams at once, does one 1 KiB round trip on each, measures memory while all
    /// are open and idle, then does 10 more round trips on each and closes them.
    /// </summary>
    public static async Task<Concurrent> ConcurrentAsync(IPath path, LoopbackTargets targets, int streams)
    {
        var (wsBefore, heapBefore) = Memory();
        var clock = Stopwatch.StartNew();
        var open = await Task.WhenAll(Enumerable.Range(0, streams).Select(async _ =>
        {
            try
            {
                var stream = await path.OpenAsync(targets.Echo);
                await RoundTripAsync(stream, 1);
                return stream;
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
            {
                return null;
            }
        }));
        var (wsOpen, heapOpen) = Memory();
        var done = await Task.WhenAll(open.Select(async stream =>
        {
            if (stream is null)
            {
                return false;
            }

            await using (stream)
            {
                await RoundTripAsync(stream, 10);
            }

            return true;
        }));
        var elapsed = clock.Elapsed;
        GC.KeepAlive(open);
        return new Concurrent(streams, done.Count(d => d), elapsed, (wsOpen - wsBefore) / 1024.0 / streams, (heapOpen - heapBefore) / 1024.0 / streams);
    }

    private static async Task RoundTripAsync(Stream stream, int times)
    {
        var buffer = new byte[1024];
        for (int i = 0; i < times; i++)
        {
            await stream.WriteAsync(buffer);
            await stream.ReadExactlyAsync(buffer);
        }
    }

    private static (long WorkingSet, long Heap) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        return (self.WorkingSet64, GC.GetTotalMemory(forceFullCollection: false));
    }

    private static Latency Summarize(double[] samples)
    {
        Array.Sort(samples);
        return new Latency(samples[samples.Length / 2], samples[(int)Math.Min(samples.Length - 1, Math.Ceiling(samples.Length * 0.99) - 1)], samples.Length);
    }
}
