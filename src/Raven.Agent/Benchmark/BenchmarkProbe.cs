using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Raven.Api.Benchmark;

namespace Raven.Agent.Benchmark;

/// <summary>The source side: the echo round trips, then the timed stream, to the target's listener.</summary>
public static class BenchmarkProbe
{
    /// <summary>The target's agent opens its listener when it sees the request, possibly after the source did.</summary>
    private static readonly TimeSpan ConnectRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    public static async Task<BenchmarkResult> RunAsync(BenchmarkRequest request, IPEndPoint target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(target);
        var token = request.TokenBytes();
        var result = new BenchmarkResult { Source = request.Source, Target = request.Target, TargetAddress = target.Address.ToString() };
        try
        {
            var latency = await EchoAsync(target, token, request.Echoes, cancellationToken).ConfigureAwait(false);
            var throughput = await StreamAsync(target, token, TimeSpan.FromSeconds(request.Seconds), cancellationToken).ConfigureAwait(false);
            return result with { Latency = latency, Throughput = throughput };
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException)
        {
            return result with { Error = $"{target}: {e.Message}" };
        }
    }

    private static async Task<LatencyStatistics> EchoAsync(IPEndPoint target, byte[] token, int echoes, CancellationToken cancellationToken)
    {
        using var client = await ConnectAsync(target, cancellationToken).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync(BenchmarkWire.Hello(BenchmarkWire.Echo, token), cancellationToken).ConfigureAwait(false);
        var frame = new byte[BenchmarkWire.EchoFrame];
        var answer = new byte[BenchmarkWire.EchoFrame];
        var roundTrips = new List<TimeSpan>(echoes);
        for (var i = 0; i < echoes; i++)
        {
            BitConverter.TryWriteBytes(frame, (long)i);
            var started = Stopwatch.GetTimestamp();
            await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            if (!await BenchmarkWire.ReadExactlyAsync(stream, answer, cancellationToken).ConfigureAwait(false))
            {
                throw new IOException($"the target closed the echo connection after {i} of {echoes} round trips (wrong token?)");
            }

            roundTrips.Add(Stopwatch.GetElapsedTime(started));
            if (!answer.AsSpan().SequenceEqual(frame))
            {
                throw new IOException($"echo {i} came back altered");
            }
        }

        return LatencyStatistics.Of(roundTrips);
    }

    private static async Task<ThroughputResult> StreamAsync(IPEndPoint target, byte[] token, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var client = await ConnectAsync(target, cancellationToken).ConfigureAwait(false);
        var stream = client.GetStream();
        await stream.WriteAsync(BenchmarkWire.Hello(BenchmarkWire.Throughput, token), cancellationToken).ConfigureAwait(false);
        var chunk = new byte[128 * 1024];
        Random.Shared.NextBytes(chunk);
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            await stream.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
        }

        client.Client.Shutdown(SocketShutdown.Send);
        var count = new byte[8];
        if (!await BenchmarkWire.ReadExactlyAsync(stream, count, cancellationToken).ConfigureAwait(false))
        {
            throw new IOException("the target closed the stream without counting it (wrong token?)");
        }

        // Until the target's count arrived: what sat in buffers when the sender stopped is part of the measurement.
        return new ThroughputResult { Bytes = BenchmarkWire.ReadCount(count), Seconds = Stopwatch.GetElapsedTime(started).TotalSeconds };
    }

    private static async Task<TcpClient> ConnectAsync(IPEndPoint target, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var client = new TcpClient(target.AddressFamily) { NoDelay = true };
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(ConnectTimeout);
                await client.ConnectAsync(target, attempt.Token).ConfigureAwait(false);
                return client;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                client.Dispose();
                if (Stopwatch.GetElapsedTime(started) >= ConnectTimeout)
                {
                    throw new TimeoutException($"no benchmark listener answered within {ConnectTimeout.TotalSeconds:0}s ({e.Message})");
                }

                await Task.Delay(ConnectRetry, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
