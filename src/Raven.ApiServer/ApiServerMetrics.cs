using Microsoft.AspNetCore.Http;
using Prometheus;
using Raven.Kube.Observability;

namespace Raven.ApiServer;

/// <summary>
/// The server's /metrics: requests by verb, resource and code, and their durations, under kube-apiserver's names
/// (a subset of its labels), plus the process and runtime series. One registry per server: tests run several.
/// </summary>
internal sealed class ApiServerMetrics
{
    private readonly Counter _requests;
    private readonly Histogram _durations;

    public ApiServerMetrics()
    {
        Registry = ComponentMetrics.NewRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _requests = factory.CreateCounter("apiserver_request_total", "Requests answered, by verb, resource and HTTP status code.",
            "verb", "resource", "code");
        _durations = factory.CreateHistogram("apiserver_request_duration_seconds",
            "Time to answer a request, by verb and resource; watches are left out (they last as long as the client wants).",
            new HistogramConfiguration { LabelNames = ["verb", "resource"], Buckets = ComponentMetrics.PassDurationBuckets });
    }

    public CollectorRegistry Registry { get; }

    public void ObserveRequest(HttpContext ctx, TimeSpan took)
    {
        var path = ctx.Request.Path.Value?.TrimEnd('/') ?? "";
        var resourcePath = RequestPath.Parse(path);
        var resource = resourcePath?.Resource ?? "";
        var verb = resourcePath is null ? ctx.Request.Method.ToUpperInvariant() : Verb(ctx, resourcePath);
        _requests.WithLabels(verb, resource, ctx.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        if (verb != "WATCH")
        {
            _durations.WithLabels(verb, resource).Observe(took.TotalSeconds);
        }
    }

    /// <summary>kube-apiserver's verb label: LIST, WATCH and APPLY by meaning, otherwise the HTTP method.</summary>
    private static string Verb(HttpContext ctx, RequestPath path) => ApiHandler.Attributes(ctx, path).Verb switch
    {
        "list" => "LIST",
        "watch" => "WATCH",
        "patch" when ctx.Request.ContentType?.StartsWith("application/apply-patch", StringComparison.Ordinal) == true => "APPLY",
        _ => ctx.Request.Method.ToUpperInvariant(),
    };
}
