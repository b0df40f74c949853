using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Raven.ApiServer.Tables;

namespace Raven.ApiServer;

/// <summary>Streams watch events as newline-delimited JSON until the client leaves or timeoutSeconds passes.</summary>
internal sealed class WatchStream(ApiCore core, TimeSpan bookmarkInterval, CancellationToken stopping)
{
    public async Task RunAsync(HttpContext ctx, ResourceType type, string version, string? ns, ListOptions options,
        bool bookmarks, TimeSpan? timeout, bool sendInitialEvents = false)
    {
        var current = core.CurrentResourceVersion;
        if (options.ResourceVersion is { } requested && requested > current && !sendInitialEvents)
        {
            throw ApiException.TooLargeResourceVersion(requested, current);
        }

        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        using var watcher = core.Watch(type, options.ResourceVersion, sendInitialEvents);
        if (watcher is null)
        {
            var expired = ApiException.Expired(options.ResourceVersion ?? 0, core.CurrentResourceVersion).ToStatus();
            await WriteLineAsync(ctx, new JsonObject { ["type"] = "ERROR", ["object"] = expired }.ToJsonString()).ConfigureAwait(false);
            return;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
        if (timeout is { } t) cts.CancelAfter(t);
        var bookmarking = bookmarks ? BookmarkLoopAsync(watcher, cts.Token) : Task.CompletedTask;
        var table = TableConverter.Applies(ctx.Request, type, version)
            ? new TableMode(ctx.Request.Query["includeObject"] is ["Object"]) : null;
        await ctx.Response.StartAsync(cts.Token).ConfigureAwait(false);
        await ctx.Response.Body.FlushAsync(cts.Token).ConfigureAwait(false);
        try
        {
            await foreach (var e in watcher.ReadAllAsync(cts.Token).ConfigureAwait(false))
            {
                var line = Render(e, type, version, ns, options, table);
                if (line is not null) await WriteLineAsync(ctx, line).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away or the requested timeout passed: both end the watch normally.
        }
        catch (IOException)
        {
            // The connection broke while writing; nothing left to tell the client.
        }

        await cts.CancelAsync().ConfigureAwait(false);
        await bookmarking.ConfigureAwait(false);
    }

    private async Task BookmarkLoopAsync(ObjectStore.Watcher watcher, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(bookmarkInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false)) watcher.Bookmark();
        }
        catch (OperationCanceledException)
        {
            // Watch ended.
        }
    }

    private string? Render(WatchEvent e, ResourceType type, string version, string? ns, ListOptions options, TableMode? table)
    {
        if (e.Type is "BOOKMARK" or WatchEvent.InitialEventsEnd)
        {
            var bookmark = new JsonObject
            {
                ["kind"] = type.Kind,
                ["apiVersion"] = type.ApiVersion(version),
                ["metadata"] = new JsonObject { ["resourceVersion"] = e.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            };
            if (e.Type == WatchEvent.InitialEventsEnd)
            {
                ((JsonObject)bookmark["metadata"]!)["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
            }

            return new JsonObject { ["type"] = "BOOKMARK", ["object"] = bookmark }.ToJsonString();
        }

        bool Match(StoredObject? o) => o is not null && (ns is null || o.Facts.Namespace == ns) && options.Matches(o.Facts);
        var matchNew = Match(e.Object);
        var eventType = e.Type switch
        {
            "ADDED" when matchNew => "ADDED",
            "DELETED" when matchNew => "DELETED",
            "MODIFIED" => (matchNew, Match(e.Previous)) switch
            {
                (true, true) => "MODIFIED",
                (true, false) => "ADDED",
                (false, true) => "DELETED",
                _ => null,
            },
            _ => null,
        };
        if (eventType is null) return null;
        var obj = core.ToVersion(type, e.Object!, version);
        if (table is not null)
        {
            // Like the real server: column definitions travel with the first event only.
            obj = TableConverter.Table(type, version, [obj], null, table.IncludeObject, !table.ColumnsSent, core.Clock);
            table.ColumnsSent = true;
        }

        return new JsonObject { ["type"] = eventType, ["object"] = obj }.ToJsonString();
    }

    private static async Task WriteLineAsync(HttpContext ctx, string line)
    {
        await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), ctx.RequestAborted).ConfigureAwait(false);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
    }

    private sealed class TableMode(bool includeObject)
    {
        public bool IncludeObject { get; } = includeObject;
        public bool ColumnsSent { get; set; }
    }
}
