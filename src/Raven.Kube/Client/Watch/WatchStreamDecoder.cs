using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Raven.Api.Json;
using Raven.Kube.Models;

namespace Raven.Kube.Client.Watch;

/// <summary>
/// Decodes the API server's watch body: one JSON object {"type": ..., "object": ...} per line. Lines may arrive
/// split across reads; the reader reassembles them. Errors are returned as events, not thrown, so the caller
/// decides what an ERROR means.
/// </summary>
public static class WatchStreamDecoder
{
    public static async IAsyncEnumerable<WatchEvent<T>> DecodeAsync<T>(
        Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return DecodeLine<T>(line);
        }
    }

    /// <summary>Decodes one line; a malformed line raises <see cref="JsonException"/> naming what is wrong.</summary>
    public static WatchEvent<T> DecodeLine<T>(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            throw new JsonException($"watch event has no string 'type': {Truncate(line)}");
        }

        var type = ParseType(typeElement.GetString()!, line);
        if (!root.TryGetProperty("object", out var objectElement) || objectElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"watch event '{typeElement.GetString()}' has no 'object': {Truncate(line)}");
        }

        if (type == WatchEventType.Error)
        {
            return new WatchEvent<T>(type, default, objectElement.Deserialize<Status>(RavenJson.Options));
        }

        return new WatchEvent<T>(type, objectElement.Deserialize<T>(RavenJson.Options));
    }

    private static WatchEventType ParseType(string type, string line) => type switch
    {
        "ADDED" => WatchEventType.Added,
        "MODIFIED" => WatchEventType.Modified,
        "DELETED" => WatchEventType.Deleted,
        "BOOKMARK" => WatchEventType.Bookmark,
        "ERROR" => WatchEventType.Error,
        _ => throw new JsonException($"watch event type '{type}' is unknown: {Truncate(line)}"),
    };

    private static string Truncate(string line) => line.Length <= 200 ? line : line[..200] + "...";
}
