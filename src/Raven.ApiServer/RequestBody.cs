using Microsoft.AspNetCore.Http;

namespace Raven.ApiServer;

/// <summary>
/// Reads a request body within the server's size limit. A larger body is read to its end and thrown away in small
/// chunks before the 413 goes out, so the client, still sending, gets the answer instead of a broken connection.
/// </summary>
internal static class RequestBody
{
    private const int Chunk = 64 * 1024;

    /// <summary>Kestrel's own cap: beyond it the connection is cut, as reading on would only cost time.</summary>
    public const long HardLimit = 64L * 1024 * 1024;

    public static async Task<byte[]> ReadAsync(HttpContext ctx, long limit)
    {
        if (ctx.Request.ContentLength is { } declared && declared > HardLimit) throw TooLarge(limit);
        using var buffer = new MemoryStream();
        var chunk = new byte[Chunk];
        var tooLarge = false;
        while (true)
        {
            var read = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted).ConfigureAwait(false);
            if (read == 0) break;
            if (tooLarge) continue;
            if (buffer.Length + read > limit)
            {
                tooLarge = true;
                buffer.SetLength(0);
                buffer.Capacity = 0;
                continue;
            }

            buffer.Write(chunk, 0, read);
        }

        if (tooLarge) throw TooLarge(limit);
        return buffer.ToArray();
    }

    public static ApiException TooLarge(long limit) =>
        new(413, "RequestEntityTooLarge", $"Request entity too large: limit is {limit}");
}
