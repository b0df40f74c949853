using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Raven.ApiServer.Auth;
using Raven.ApiServer.Tables;

namespace Raven.ApiServer;

/// <summary>The HTTP shell: authentication, routing to discovery or <see cref="ApiCore"/>, and Status errors.</summary>
internal sealed class ApiHandler(ApiCore core, WatchStream watches, Authenticator authenticator, RbacAuthorizer authorizer, long maxBodyBytes,
    ApiServerMetrics metrics)
{
    private const string UserKey = "raven.user";

    public async Task HandleAsync(HttpContext ctx)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await HandleRequestAsync(ctx).ConfigureAwait(false);
        }
        finally
        {
            metrics.ObserveRequest(ctx, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task HandleRequestAsync(HttpContext ctx)
    {
        try
        {
            var user = Impersonation.Apply(ctx, await authenticator.AuthenticateAsync(ctx).ConfigureAwait(false), authorizer);
            ctx.Items[UserKey] = user;
            await RouteAsync(ctx, user).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            await WriteStatusAsync(ctx, e).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            await WriteStatusAsync(ctx, ApiException.BadRequest($"the request body is not valid JSON: {e.Message}")).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode is 413 or 408)
        {
            // Kestrel's limits: a body over the size limit, or one arriving slower than the minimum rate.
            var status = e.StatusCode == 413
                ? RequestBody.TooLarge(maxBodyBytes)
                : new ApiException(408, "Timeout", "Timeout: the request body did not arrive in time (it was sent more slowly than the server's minimum data rate)");
            await WriteStatusAsync(ctx, status).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client left; nobody is listening for an answer.
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException)
        {
            await WriteStatusAsync(ctx, new ApiException(400, "BadRequest", $"the request is invalid: {e.Message}")).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Last resort: a server bug must still answer with a Status instead of dropping the connection.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await WriteStatusAsync(ctx, new ApiException(500, "InternalError", $"Internal error occurred: {e.GetType().Name}: {e.Message}")).ConfigureAwait(false);
        }
    }

    private async Task RouteAsync(HttpContext ctx, UserInfo user)
    {
        var path = ctx.Request.Path.Value?.TrimEnd('/') ?? "";
        var method = ctx.Request.Method;
        var resourcePath = RequestPath.Parse(path);
        if (resourcePath is null) Authorize(user, RequestAttributes.NonResource(method.ToLowerInvariant(), ctx.Request.Path.Value ?? "/"));
        var registry = core.Registry;
        JsonObject? doc = path switch
        {
            "/version" => DiscoveryDocuments.Version(),
            "/api" => DiscoveryDocuments.CoreVersions(),
            "/apis" => DiscoveryDocuments.GroupList(registry),
            _ => null,
        };
        if (path is "/healthz" or "/livez" or "/readyz")
        {
            ctx.Response.ContentType = "text/plain";
            await ctx.Response.WriteAsync("ok").ConfigureAwait(false);
            return;
        }

        if (path == "/metrics")
        {
            // Behind authorization, as kube-apiserver's: a user needs get on the non-resource URL /metrics.
            if (method != "GET") throw ApiException.MethodNotAllowed(method);
            ctx.Response.ContentType = Prometheus.PrometheusConstants.TextContentTypeWithVersionAndEncoding;
            await metrics.Registry.CollectAndExportAsTextAsync(ctx.Response.Body, ctx.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (path == "/openapi/v3")
        {
            await WriteJsonAsync(ctx, 200, OpenApiDocuments.Root(registry)).ConfigureAwait(false);
            return;
        }

        if (path.StartsWith("/openapi/v3/apis/", StringComparison.Ordinal) && path.Split('/') is [_, _, _, _, var og, var ov]
            && OpenApiDocuments.GroupVersion(registry, og, ov) is { } openApi)
        {
            await WriteJsonAsync(ctx, 200, openApi).ConfigureAwait(false);
            return;
        }

        if (path.StartsWith("/openapi/v3/api/", StringComparison.Ordinal) && path.Split('/') is [_, _, _, _, var cv]
            && OpenApiDocuments.GroupVersion(registry, "", cv) is { } coreApi)
        {
            await WriteJsonAsync(ctx, 200, coreApi).ConfigureAwait(false);
            return;
        }

        // /openapi/v2 included: its document is not served (a real server with it disabled answers 404 too).

        if (path.StartsWith("/openapi/", StringComparison.Ordinal))
        {
            throw ApiException.NotFoundPath(path);
        }

        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (doc is null && segments is ["api", var coreVersion]) doc = DiscoveryDocuments.ResourceList(registry, "", coreVersion);
        if (doc is null && segments is ["apis", var g]) doc = DiscoveryDocuments.GroupDocument(registry, g);
        if (doc is null && segments is ["apis", var g2, var v2]) doc = DiscoveryDocuments.ResourceList(registry, g2, v2);
        if (doc is not null)
        {
            if (method != "GET") throw ApiException.MethodNotAllowed(method);
            await WriteJsonAsync(ctx, 200, doc).ConfigureAwait(false);
            return;
        }

        var request = resourcePath ?? throw ApiException.NotFoundPath(path);
        Authorize(user, Attributes(ctx, request));
        await ServeResourceAsync(ctx, request, user).ConfigureAwait(false);
    }

    private void Authorize(UserInfo user, RequestAttributes request)
    {
        var decision = authorizer.Authorize(user, request);
        if (!decision.Allowed) throw RbacAuthorizer.Forbidden(request, decision.Reason);
    }

    /// <summary>The request in RBAC's terms: get/list/watch/create/update/patch/delete/deletecollection on group, resource, subresource, namespace, name.</summary>
    internal static RequestAttributes Attributes(HttpContext ctx, RequestPath p)
    {
        var query = ctx.Request.Query;
        var watch = p.WatchPrefix || (query["watch"] is [var w] && w is "1" or "t" or "T" or "true" or "True" or "TRUE");
        var verb = ctx.Request.Method switch
        {
            "GET" or "HEAD" when watch => "watch",
            "GET" or "HEAD" => p.Name is null ? "list" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => p.Name is null ? "deletecollection" : "delete",
            var other => other.ToLowerInvariant(),
        };
        // As kube-apiserver's RequestInfo: a namespace's own requests are in that namespace.
        var ns = p.Resource == "namespaces" && p.Group.Length == 0 && p.Name is not null ? p.Name : p.Namespace ?? "";
        return new RequestAttributes(verb, p.Group, p.Resource, p.Subresource ?? "", ns, p.Name ?? "", null);
    }

    private async Task ServeResourceAsync(HttpContext ctx, RequestPath p, UserInfo user)
    {
        var type = core.Registry.Find(p.Group, p.Version, p.Resource) ?? throw ApiException.NotFoundPath(ctx.Request.Path.Value ?? "");
        if (type.Virtual)
        {
            if (ctx.Request.Method != "POST" || p.Name is not null || p.Namespace is not null) throw ApiException.MethodNotAllowed(ctx.Request.Method);
            await WriteJsonAsync(ctx, 201, await core.ReviewAsync(type, p.Version, await ReadObjectAsync(ctx).ConfigureAwait(false), user).ConfigureAwait(false))
                .ConfigureAwait(false);
            return;
        }

        if (p.Subresource == "token" && type.HasToken && p.Name is not null && p.Namespace is not null)
        {
            if (ctx.Request.Method != "POST") throw ApiException.MethodNotAllowed(ctx.Request.Method);
            await WriteJsonAsync(ctx, 201, core.RequestToken(p.Namespace, p.Name, await ReadObjectAsync(ctx).ConfigureAwait(false))).ConfigureAwait(false);
            return;
        }

        if (p.Subresource is not null && !(p.Subresource == "status" && type.HasStatus) && !(p.Subresource == "approval" && type.HasApproval))
        {
            throw ApiException.NotFoundPath(ctx.Request.Path.Value ?? "");
        }

        if (type.Namespaced && p.Namespace is null && (p.Name is not null || ctx.Request.Method == "POST"))
        {
            throw ApiException.NotFoundPath(ctx.Request.Path.Value ?? "");
        }

        var ns = type.Namespaced ? p.Namespace : null;
        if (!type.Namespaced && p.Namespace is not null) throw ApiException.NotFoundPath(ctx.Request.Path.Value ?? "");
        var query = new QueryParameters(ctx.Request.Query);
        var method = ctx.Request.Method;
        var isWatch = p.WatchPrefix || (method == "GET" && query.Bool("watch"));
        if (p.WatchPrefix && method != "GET") throw ApiException.MethodNotAllowed(method);
        var timeout = query.Timeout();
        var includeObject = query.Text("includeObject") == "Object";

        if (p.Name is null)
        {
            var options = ParseListOptions(query, type);
            if (method == "GET") query.ValidateListOptions(isWatch);
            switch (method)
            {
                case "GET" when isWatch:
                    await watches.RunAsync(ctx, type, p.Version, ns, options, query.Bool("allowWatchBookmarks"), timeout,
                        query.Bool("sendInitialEvents")).ConfigureAwait(false);
                    return;
                case "GET" when TableConverter.Applies(ctx.Request, type, p.Version):
                    var list = core.List(type, p.Version, ns, options, query.Text("resourceVersionMatch"));
                    await WriteJsonAsync(ctx, 200, TableConverter.Table(type, p.Version, list["items"]!.AsArray().OfType<JsonObject>(),
                        (JsonObject)list["metadata"]!.DeepClone(), includeObject, true, core.Clock)).ConfigureAwait(false);
                    return;
                case "GET":
                    await ListStream.WriteAsync(ctx, core, type, p.Version, core.ListPage(type, ns, options, query.Text("resourceVersionMatch")))
                        .ConfigureAwait(false);
                    return;
                case "POST":
                    await WriteJsonAsync(ctx, 201, core.Create(type, p.Version, ns, await ReadObjectAsync(ctx).ConfigureAwait(false), Writes(ctx, query))).ConfigureAwait(false);
                    return;
                case "DELETE" when type == BuiltinResources.Namespaces:
                    throw ApiException.MethodNotAllowed(method);
                case "DELETE":
                    await WriteJsonAsync(ctx, 200, core.DeleteCollection(type, p.Version, ns, options)).ConfigureAwait(false);
                    return;
                default:
                    throw ApiException.MethodNotAllowed(method);
            }
        }

        if (isWatch && method == "GET")
        {
            query.ValidateListOptions(watch: true);
            var single = ParseListOptions(query, type) with { Fields = FieldSelector.Parse("metadata.name=" + p.Name, type) };
            await watches.RunAsync(ctx, type, p.Version, ns, single, query.Bool("allowWatchBookmarks"), timeout,
                query.Bool("sendInitialEvents")).ConfigureAwait(false);
            return;
        }

        var result = method switch
        {
            "GET" => core.Get(type, p.Version, ns, p.Name),
            "PUT" => core.Update(type, p.Version, ns, p.Name, p.Subresource, await ReadObjectAsync(ctx).ConfigureAwait(false), Writes(ctx, query)),
            "PATCH" => await PatchAsync(ctx, query, type, p, ns).ConfigureAwait(false),
            "DELETE" when p.Subresource is null => core.Delete(type, p.Version, ns, p.Name,
                ctx.Request.ContentLength is > 0 || ctx.Request.Headers.TransferEncoding.Count > 0 ? await ReadOptionalObjectAsync(ctx).ConfigureAwait(false) : null,
                Writes(ctx, query).DryRun),
            _ => throw ApiException.MethodNotAllowed(method),
        };
        if (method == "GET" && TableConverter.Applies(ctx.Request, type, p.Version))
        {
            result = TableConverter.Table(type, p.Version, [result], null, includeObject, true, core.Clock);
        }

        await WriteJsonAsync(ctx, ctx.Response.StatusCode == 201 ? 201 : 200, result).ConfigureAwait(false);
    }

    private async Task<JsonObject> PatchAsync(HttpContext ctx, QueryParameters query, ResourceType type, RequestPath p, string? ns)
    {
        var patchType = PatchType(ctx.Request.ContentType, type);
        var options = Writes(ctx, query);
        if (patchType == "apply")
        {
            var config = YamlBody.ParseObject(await ReadTextAsync(ctx).ConfigureAwait(false));
            var (applied, created) = core.Apply(type, p.Version, ns, p.Name!, p.Subresource, config, options);
            if (created) ctx.Response.StatusCode = 201;
            return applied;
        }

        if (options.Force)
        {
            throw ApiException.InvalidKind("PatchOptions", "meta.k8s.io", "", [new FieldError("force", "Forbidden: may not be specified for non-apply patch", "FieldValueForbidden")]);
        }

        return core.Patch(type, p.Version, ns, p.Name!, p.Subresource, patchType, await ReadNodeAsync(ctx).ConfigureAwait(false), options);
    }

    private static WriteOptions Writes(HttpContext ctx, QueryParameters query) => new()
    {
        User = ctx.Items[UserKey] as UserInfo ?? UserInfo.Admin,
        UserAgent = ctx.Request.Headers.UserAgent.ToString(),
        DryRun = query.DryRun(),
        FieldValidation = query.FieldValidation(),
        FieldManager = query.Text("fieldManager"),
        Force = query.Bool("force"),
        Warn = Warner(ctx),
    };

    /// <summary>Admission warnings become RFC 7234 Warning headers (code 299), sent with the answer whether it succeeds or not.</summary>
    private static Action<string> Warner(HttpContext ctx) => text => ctx.Response.Headers.Append("Warning", WarningHeader.Format(text));

    private static ListOptions ParseListOptions(QueryParameters query, ResourceType type)
    {
        var limit = 0;
        if (query.Text("limit") is { Length: > 0 } l && (!int.TryParse(l, CultureInfo.InvariantCulture, out limit) || limit < 0))
        {
            throw ApiException.BadRequest($"invalid limit \"{l}\"");
        }

        var continueToken = query.Text("continue") is { Length: > 0 } c ? ListOptions.DecodeContinue(c) : null;
        return new ListOptions(LabelSelector.Parse(query.Text("labelSelector")), FieldSelector.Parse(query.Text("fieldSelector"), type), limit,
            continueToken, ListOptions.ParseResourceVersion(query.Text("resourceVersion")));
    }

    /// <summary>The patch type of a Content-Type; strategic merge patch exists only for built-in kinds, as on a real server.</summary>
    private static string PatchType(string? contentType, ResourceType type)
    {
        var media = contentType?.Split(';')[0].Trim();
        return media switch
        {
            "application/merge-patch+json" => "merge",
            "application/strategic-merge-patch+json" when !type.IsCustom => "strategic",
            "application/json-patch+json" => "json",
            "application/apply-patch+yaml" => "apply",
            _ => throw new ApiException(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml{(type.IsCustom ? "" : ", application/strategic-merge-patch+json")}"),
        };
    }

    private async Task<string> ReadTextAsync(HttpContext ctx) =>
        System.Text.Encoding.UTF8.GetString(await RequestBody.ReadAsync(ctx, maxBodyBytes).ConfigureAwait(false));

    private async Task<JsonNode> ReadNodeAsync(HttpContext ctx)
    {
        var text = await ReadTextAsync(ctx).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text)) throw ApiException.BadRequest("the request body is empty");
        return JsonNode.Parse(text) ?? throw ApiException.BadRequest("the request body is null");
    }

    private async Task<JsonObject> ReadObjectAsync(HttpContext ctx)
    {
        var type = ctx.Request.ContentType?.Split(';')[0].Trim();
        if (type == "application/vnd.kubernetes.protobuf")
        {
            return ProtobufBody.Decode(await RequestBody.ReadAsync(ctx, maxBodyBytes).ConfigureAwait(false));
        }

        if (type is "application/yaml" or "application/x-yaml" or "text/yaml")
        {
            return YamlBody.ParseObject(await ReadTextAsync(ctx).ConfigureAwait(false));
        }

        if (type is not (null or "application/json" or "*/*"))
        {
            throw new ApiException(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got {type})");
        }

        return await ReadNodeAsync(ctx).ConfigureAwait(false) as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");
    }

    private async Task<JsonObject?> ReadOptionalObjectAsync(HttpContext ctx)
    {
        var text = await ReadTextAsync(ctx).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject;
    }

    private static Task WriteStatusAsync(HttpContext ctx, ApiException e) =>
        ctx.Response.HasStarted ? Task.CompletedTask : WriteJsonAsync(ctx, e.Code, e.ToStatus());

    private static async Task WriteJsonAsync(HttpContext ctx, int code, JsonObject body)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(body.ToJsonString(), ctx.RequestAborted).ConfigureAwait(false);
    }
}
