using System.Text.Json.Nodes;

namespace Raven.ApiServer.Tests;

/// <summary>Reads watch events line by line from a streaming response, each read bounded by a deadline.</summary>
internal sealed class WatchReader : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private WatchReader(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<WatchReader> OpenAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new WatchReader(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<JsonObject?> NextAsync(TimeSpan? deadline = null)
    {
        using var cts = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(10));
        var line = await _reader.ReadLineAsync(cts.Token);
        return line is null ? null : (JsonObject)JsonNode.Parse(line)!;
    }

    /// <summary>Skips events until one satisfies <paramref name="match"/>; fails when the deadline passes first.</summary>
    public async Task<JsonObject> NextMatchingAsync(Func<JsonObject, bool> match, TimeSpan? deadline = null)
    {
        var end = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var left = end - DateTime.UtcNow;
            left.Should().BePositive("the expected watch event should arrive before the deadline");
            var e = await NextAsync(left);
            e.Should().NotBeNull("the watch should still be open");
            if (match(e!)) return e!;
        }
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
