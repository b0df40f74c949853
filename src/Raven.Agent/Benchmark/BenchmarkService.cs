using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Raven.Api.Benchmark;

namespace Raven.Agent.Benchmark;

/// <summary>
/// The agent's benchmark endpoint: listens on this node's IP only while a live request names this node as target
/// (closing at the request's expiry), runs the measurement when one names it as source, and writes the result.
/// </summary>
/// <param name="nodeAddress">A node's IP by name (from the Gateways' status), null when unknown.</param>
public sealed class BenchmarkService(string nodeName, IBenchmarkRequests requests, Func<string, IPAddress?> nodeAddress, ILogger logger,
    int port = BenchmarkRequest.Port, TimeProvider? time = null)
{
    /// <summary>Expiry is noticed within this even when no request changes.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly HashSet<string> _measured = [];
    private readonly HashSet<string> _reported = [];
    private (string Id, CancellationTokenSource Stop, Task Run)? _listening;
    private Task _measuring = Task.CompletedTask;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        requests.Changed += OnChanged;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Step(cancellationToken);
                try
                {
                    await _changed.WaitAsync(Tick, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            requests.Changed -= OnChanged;
            await StopListeningAsync().ConfigureAwait(false);
            await _measuring.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void OnChanged(object? sender, EventArgs e)
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A step is already due; it reads the newest requests.
        }
    }

    private void Step(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var duties = BenchmarkDuties.For(nodeName, requests.Current, now);
        foreach (var (name, error) in duties.Invalid.Where(i => _reported.Add(i.Name)))
        {
            logger.LogWarning("benchmark request {Name} ignored: {Error}", name, error);
        }

        if (_listening is { } current && (duties.Listen?.Id != current.Id || current.Run.IsCompleted))
        {
            _ = StopListeningAsync();
        }

        if (duties.Listen is { } listen && _listening is null && !_measured.Contains("listen:" + listen.Id))
        {
            StartListening(listen, now, cancellationToken);
        }

        if (duties.Measure is { } measure && _measuring.IsCompleted && _measured.Add(measure.Id))
        {
            _measuring = MeasureAsync(measure, now, cancellationToken);
        }
    }

    private void StartListening(BenchmarkRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _measured.Add("listen:" + request.Id);
        if (nodeAddress(nodeName) is not { } address)
        {
            logger.LogWarning("benchmark {Id}: not listening, this node's IP is not known yet", request.Id);
            return;
        }

        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(request.Expires - now);
        var bind = new IPEndPoint(address, port);
        try
        {
            var run = new BenchmarkListener(bind, request.TokenBytes(), logger).RunAsync(stop.Token);
            _listening = (request.Id, stop, run);
            logger.LogInformation("benchmark {Id}: listening on {Bind} for {Source} until {Expires:HH:mm:ssZ}", request.Id, bind, request.Source, request.Expires);
        }
        catch (SocketException e)
        {
            stop.Dispose();
            logger.LogWarning("benchmark {Id}: cannot listen on {Bind}: {Reason}", request.Id, bind, e.Message);
        }
    }

    private async Task StopListeningAsync()
    {
        if (_listening is not { } current)
        {
            return;
        }

        _listening = null;
        await current.Stop.CancelAsync().ConfigureAwait(false);
        await current.Run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        current.Stop.Dispose();
        logger.LogInformation("benchmark {Id}: listener closed", current.Id);
    }

    private async Task MeasureAsync(BenchmarkRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(request.Expires - now);
        BenchmarkResult result;
        if (nodeAddress(request.Target) is not { } address)
        {
            result = new BenchmarkResult { Source = request.Source, Target = request.Target, Error = $"no Gateway lists node {request.Target} with an IP" };
        }
        else
        {
            logger.LogInformation("benchmark {Id}: measuring {Target} at {Address} ({Seconds}s, {Echoes} echoes)", request.Id, request.Target, address, request.Seconds, request.Echoes);
            try
            {
                result = await BenchmarkProbe.RunAsync(request, new IPEndPoint(address, port), bound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                result = new BenchmarkResult { Source = request.Source, Target = request.Target, TargetAddress = address.ToString(), Error = "the request expired before the measurement ended" };
            }
        }

        try
        {
            await requests.WriteResultAsync(request, result, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("benchmark {Id}: result written ({Outcome})", request.Id, result.Error ?? $"{result.Throughput!.BitsPerSecond / 1e6:0.0} Mbit/s, p50 {result.Latency!.P50Ms:0.000} ms");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("benchmark {Id}: writing the result failed: {Reason}", request.Id, Raven.Kube.Client.KubeErrors.Describe(e));
        }
    }
}
