using System.Diagnostics;
using System.Globalization;

namespace Raven.Bench.Proxy;

/// <summary>HTTP measurements of the L7 front end, each run the same way directly and through the front end.</summary>
internal static class HttpMeasurements
{
    /// <summary>One GET whose response body is <paramref name="bytes"/> long, read to the end.</summary>
    public static async Task<double> DownloadGbitPerSecondAsync(HttpClient client, string query, long bytes)
    {
        var buffer = new byte[64 * 1024];
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync($"/bytes?n={bytes}{query}", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        long received = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            received += read;
        }

        var elapsed = clock.Elapsed;
        if (received != bytes)
        {
            throw new InvalidOperationException($"received {received} bytes, expected {bytes}");
        }

        return bytes * 8 / elapsed.TotalSeconds / 1e9;
    }

    /// <summary>One POST of <paramref name="bytes"/>, sent chunked; the target answers with the count.</summary>
    public static async Task<double> UploadGbitPerSecondAsync(HttpClient client, string query, long bytes)
    {
        var clock = Stopwatch.StartNew();
        using var content = new RepeatingContent(bytes);
        using var response = await client.PostAsync($"/sink?{query.TrimStart('&')}", content);
        var answer = await response.Content.ReadAsStringAsync();
        var elapsed = clock.Elapsed;
        if (long.Parse(answer, CultureInfo.InvariantCulture) != bytes)
        {
            throw new InvalidOperationException($"target counted {answer} bytes, sent {bytes}");
        }

        return bytes * 8 / elapsed.TotalSeconds / 1e9;
    }

    /// <summary>Sequential 64-byte GETs on one keep-alive connection.</summary>
    public static async Task<Measurements.Latency> SmallGetsAsync(HttpClient client, string query, int count)
    {
        var samples = new double[count];
        for (int i = -100; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            var body = await client.GetByteArrayAsync($"/small?{query.TrimStart('&')}");
            if (body.Length != 64)
            {
                throw new InvalidOperationException($"got {body.Length} bytes, expected 64");
            }

            if (i >= 0)
            {
                samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }

        Array.Sort(samples);
        return new Measurements.Latency(samples[count / 2], samples[(int)Math.Min(count - 1, Math.Ceiling(count * 0.99) - 1)], count);
    }

    /// <summary><paramref name="callers"/> callers, each with its own connection, doing <paramref name="each"/> GETs.</summary>
    public static async Task<double> ConcurrentGetsPerSecondAsync(Func<HttpClient> newClient, string query, int callers, int each)
    {
        var clients = Enumerable.Range(0, callers).Select(_ => newClient()).ToList();
        try
        {
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(clients.Select(async client =>
            {
                for (int i = 0; i < each; i++)
                {
                    await client.GetByteArrayAsync($"/small?{query.TrimStart('&')}");
                }
            }));
            return callers * each / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private sealed class RepeatingContent(long length) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            for (long sent = 0; sent < length; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, length - sent)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
