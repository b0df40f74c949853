using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using k8s;
using k8s.Models;
using Raven.Api;
using Raven.Kube.Client;
using Raven.Kube.Models;
using Raven.Kube.Observability;
using Raven.Lab.Pods;

namespace Raven.Lab.Run;

/// <summary>What the lab's stand-in kubelet registers and serves for one node.</summary>
/// <param name="Labels">Labels beyond the gateway's and kubernetes.io/hostname (kubernetes.io/os, openyurt.io/is-edge-worker, ...).</param>
/// <param name="Pods">Runs the pods bound to the node; null registers the node only.</param>
/// <param name="ApiListen">A TCP address of the node's namespace forwarded to <paramref name="ApiSocket"/>: where its pods reach the API server.</param>
/// <param name="ApiSocket">The API server's HTTPS listener as a Unix socket.</param>
public sealed record KubeletSettings(
    string NodeName,
    string InternalIp,
    string PodCidr,
    string GatewayName,
    TimeSpan Heartbeat,
    IReadOnlyDictionary<string, string>? Labels = null,
    PodRuntimeSettings? Pods = null,
    IPEndPoint? ApiListen = null,
    string? ApiSocket = null);

/// <summary>
/// Plays kubelet for one lab node, inside the node's namespace: registers the Node (labels, InternalIP, podCIDR,
/// Ready), heartbeats, serves the kubelet ports (10250 HTTPS, 10255 HTTP) and the proxied node ports so L7 checks
/// have something to reach, and reports NotReady when stopped — as a real kubelet's node does.
/// </summary>
public static class LabKubelet
{
    public static readonly int[] HttpPorts = [10255, 9445];
    public static readonly int[] HttpsPorts = [10250, 9100];

    /// <summary>How long a stopping kubelet tries to report NotReady: the process must be gone within 2 s.</summary>
    private static readonly TimeSpan StopReportTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Runs until cancelled; an API server that is down delays registration and heartbeats, nothing more.</summary>
    public static async Task RunAsync(KubeClient client, KubeletSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);
        var nodes = client.Api.CoreV1;
        await using var forwarder = settings.ApiListen is { } listen && settings.ApiSocket is { } socket
            ? SocketForwarder.Start(listen, () => new System.Net.Sockets.UnixDomainSocketEndPoint(socket), logger)
            : null;
        try
        {
            await ApiReachability.WaitUntilReachableAsync(client, logger, cancellationToken).ConfigureAwait(false);
            while (!await TryAsync(() => RegisterAsync(nodes, settings, cancellationToken), logger, "registering the node").ConfigureAwait(false))
            {
                await Task.Delay(settings.Heartbeat / 5, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        // Pods first: the agents and controller wait on them, and nothing reaches the node ports before the agents are up.
        var pods = settings.Pods is { } runtime ? RunPodsAsync(new PodRuntime(client, runtime, logger), logger, cancellationToken) : Task.CompletedTask;
        await using var server = await ServeAsync(settings.NodeName, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("kubelet for {Node} registered; serving ports {Ports}", settings.NodeName, string.Join(",", HttpPorts.Concat(HttpsPorts)));
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(settings.Heartbeat, cancellationToken).ConfigureAwait(false);
                await TryAsync(() => SetReadyAsync(nodes, settings.NodeName, true, cancellationToken), logger, "posting Ready").ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            using var bounded = new CancellationTokenSource(StopReportTimeout);
            await TryAsync(() => SetReadyAsync(nodes, settings.NodeName, false, bounded.Token), logger, "posting NotReady on stop").ConfigureAwait(false);
        }

        await pods.ConfigureAwait(false);
    }

    /// <summary>The pod loop; stopping the kubelet leaves the pods running, as a real kubelet's restart does (`down` stops them by PID).</summary>
    private static async Task RunPodsAsync(PodRuntime runtime, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await runtime.RunAsync(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("pod loop stopped");
        }
    }

    private static async Task<bool> TryAsync(Func<Task> write, ILogger logger, string what)
    {
        try
        {
            await write().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or OperationCanceledException || e.IsApiError())
        {
            logger.LogWarning("{What} failed: {Error}", what, KubeErrors.Describe(e));
            return false;
        }
    }

    private static async Task RegisterAsync(ICoreV1Operations nodes, KubeletSettings settings, CancellationToken cancellationToken)
    {
        var node = new V1Node
        {
            Metadata = new()
            {
                Name = settings.NodeName,
                Labels = new Dictionary<string, string>(settings.Labels ?? new Dictionary<string, string>())
                {
                    [WellKnown.GatewayLabel] = settings.GatewayName, ["kubernetes.io/hostname"] = settings.NodeName,
                },
            },
            Spec = new V1NodeSpec { PodCIDR = settings.PodCidr, PodCIDRs = [settings.PodCidr] },
        };
        try
        {
            await nodes.ReadNodeAsync(settings.NodeName, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.IsNotFound())
        {
            await nodes.CreateNodeAsync(node, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        // Status is a subresource: written separately, as kubelet does.
        await nodes.PatchNodeStatusAsync(new V1Patch(new { status = Status(settings.InternalIp, ready: true) }, V1Patch.PatchType.MergePatch),
            settings.NodeName, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static Task SetReadyAsync(ICoreV1Operations nodes, string name, bool ready, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var patch = new
        {
            status = new
            {
                conditions = new[]
                {
                    new V1NodeCondition
                    {
                        Type = KubeModelExtensions.NodeReady, Status = ready ? "True" : "False", LastHeartbeatTime = now, LastTransitionTime = now,
                        Reason = ready ? "KubeletReady" : "KubeletStopped", Message = ready ? "lab kubelet is posting ready status" : "lab kubelet stopped",
                    },
                },
            },
        };
        return nodes.PatchNodeStatusAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), name, cancellationToken: cancellationToken);
    }

    private static V1NodeStatus Status(string ip, bool ready) => new()
    {
        Addresses = [new V1NodeAddress { Type = KubeModelExtensions.AddressInternalIP, Address = ip }],
        Conditions = [new V1NodeCondition { Type = KubeModelExtensions.NodeReady, Status = ready ? "True" : "False", LastHeartbeatTime = DateTime.UtcNow, Reason = "KubeletReady" }],
    };

    private static async Task<WebApplication> ServeAsync(string nodeName, CancellationToken cancellationToken)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={nodeName}", key, HashAlgorithmName.SHA256);
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
        var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddComponentHostLifetime();
        builder.WebHost.ConfigureKestrel(k =>
        {
            foreach (var port in HttpPorts)
            {
                k.Listen(IPAddress.Any, port);
            }

            foreach (var port in HttpsPorts)
            {
                k.Listen(IPAddress.Any, port, o => o.UseHttps(certificate));
            }
        });
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync(
            $"kubelet on {nodeName}: {context.Request.Method} {context.Request.Path}{context.Request.QueryString} via port {context.Connection.LocalPort}\n",
            context.RequestAborted));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }
}
