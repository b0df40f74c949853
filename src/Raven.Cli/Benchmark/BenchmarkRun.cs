using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Raven.Api;
using Raven.Api.Benchmark;
using Raven.Cli.Progress;
using Raven.Kube.Client;

namespace Raven.Cli.Benchmark;

/// <summary>The outcome: a result (which may carry the agent's error) or why none came.</summary>
public sealed record BenchmarkOutcome(BenchmarkResult? Result, string? Failure);

/// <summary>
/// One benchmark through the API: checks both nodes exist and are free, removes expired requests, creates the request,
/// polls for the source agent's result until the request expires, and always deletes the request and its result.
/// </summary>
public sealed class BenchmarkRun(KubeClient client, IProgressReport progress, TimeProvider? time = null)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private ICoreV1Operations Core => client.Api.CoreV1;

    public async Task<BenchmarkOutcome> RunAsync(string source, string target, int seconds, int echoes, CancellationToken cancellationToken)
    {
        foreach (var (field, node) in new[] { ("NODE_A", source), ("NODE_B", target) })
        {
            if (await TryGetAsync(() => Core.ReadNodeAsync(node, cancellationToken: cancellationToken)).ConfigureAwait(false) is null)
            {
                return new BenchmarkOutcome(null, $"{field}: node {node} does not exist");
            }
        }

        var now = _time.GetUtcNow();
        var existing = await Core.ListNamespacedConfigMapAsync(WellKnown.WorkingNamespace, labelSelector: BenchmarkRequest.Label, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var map in existing.Items)
        {
            var other = BenchmarkRequest.Parse(map.Metadata.Name, map.Data?.AsReadOnly(), out var error);
            if ((map.Metadata.Labels is { } labels && labels.TryGetValue(BenchmarkRequest.Label, out var role) ? role : null) != BenchmarkRequest.RequestRole)
            {
                continue;
            }

            if (error is null && other.IsLive(now))
            {
                if (other.Involves(source) || other.Involves(target))
                {
                    return new BenchmarkOutcome(null, $"{other.Name} ({other.Source} -> {other.Target}) is running until {other.Expires:HH:mm:ssZ}; one benchmark at a time per node");
                }

                continue;
            }

            // Expired or unreadable: left by an interrupted run. Its agents ignore it already.
            progress.Step($"removing stale {map.Metadata.Name}");
            await DeleteAsync(map.Metadata.Name, cancellationToken).ConfigureAwait(false);
            await DeleteAsync(map.Metadata.Name + "-result", cancellationToken).ConfigureAwait(false);
        }

        var request = BenchmarkRequest.New(source, target, seconds, echoes, now);
        await Core.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = request.Name,
                NamespaceProperty = WellKnown.WorkingNamespace,
                Labels = new Dictionary<string, string> { [BenchmarkRequest.Label] = BenchmarkRequest.RequestRole },
            },
            Data = request.ToData().ToDictionary(),
        }, WellKnown.WorkingNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        progress.Step($"created {WellKnown.WorkingNamespace}/{request.Name}: {source} measures {target} for {seconds}s after {echoes} echoes");
        try
        {
            return await WaitAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also when interrupted: nothing keeps listening once the request is gone.
            await DeleteAsync(request.Name, CancellationToken.None).ConfigureAwait(false);
            await DeleteAsync(request.ResultName, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<BenchmarkOutcome> WaitAsync(BenchmarkRequest request, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        // The echoes and the agents' reaction come on top of the stream's seconds.
        var expected = TimeSpan.FromSeconds(request.Seconds + 3);
        while (_time.GetUtcNow() < request.Expires)
        {
            var map = await TryGetAsync(() => Core.ReadNamespacedConfigMapAsync(request.ResultName, WellKnown.WorkingNamespace, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (map is not null)
            {
                progress.Step($"{request.ResultName} arrived after {_time.GetElapsedTime(started).TotalSeconds:0.0}s");
                var result = BenchmarkResult.TryParse((map.Data is { } data && data.TryGetValue(BenchmarkResult.DataKey, out var text) ? text : null), out var error);
                return new BenchmarkOutcome(result, error is null ? null : $"{request.ResultName}: {error}");
            }

            progress.Waiting("waiting for the result", _time.GetElapsedTime(started), expected);
            await Task.Delay(PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }

        return new BenchmarkOutcome(null,
            $"no result by {request.Expires:HH:mm:ssZ}: is raven-agent running on {request.Source} (and on {request.Target}), and does its clock agree with this one? (`raven diagnose` checks both)");
    }

    private async Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        await TryGetAsync(() => Core.DeleteNamespacedConfigMapAsync(name, WellKnown.WorkingNamespace, cancellationToken: cancellationToken)).ConfigureAwait(false);

    private static async Task<T?> TryGetAsync<T>(Func<Task<T>> call)
        where T : class
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
