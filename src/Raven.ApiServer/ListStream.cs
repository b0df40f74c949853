using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Raven.ApiServer;

/// <summary>
/// Writes a list response item by item: stored JSON goes out as it is kept (converted only when the client asked for
/// another version), so a list of many large objects never becomes one large string or tree in memory.
/// </summary>
internal static class ListStream
{
    private const int FlushBytes = 64 * 1024;

    public static async Task WriteAsync(HttpContext ctx, ApiCore core, ResourceType type, string version, ListResult page)
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        var body = ctx.Response.BodyWriter;
        await using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteString("kind", type.ListKind);
        writer.WriteString("apiVersion", type.ApiVersion(version));
        writer.WritePropertyName("metadata");
        page.Metadata.WriteTo(writer);
        writer.WriteStartArray("items");
        var raw = ApiCore.StoredAsServed(type, version);
        foreach (var item in page.Items)
        {
            if (raw) writer.WriteRawValue(item.Json, skipInputValidation: true);
            else core.ItemInVersion(type, item, version).WriteTo(writer);
            if (writer.BytesPending > FlushBytes)
            {
                // Hand what is written to the pipe and wait for the client, so at most ~64 KiB is buffered.
                writer.Flush();
                await body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        await body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
    }
}
