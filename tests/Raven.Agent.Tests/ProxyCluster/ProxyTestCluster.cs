using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Proxy.Certificates;
using Raven.Agent.Proxy.Cluster;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.ApiServer;
using Raven.ApiServer.Gateways;
using Raven.Controller.Runtime;
using Raven.Kube.Client;
using Raven.Kube.Client.Config;
using Raven.Kube.Models;
using Raven.Kube.Observability;
using Raven.TestSupport;
using k8s;
using k8s.Models;

namespace Raven.Agent.Tests.ProxyCluster;

/// <summary>The embedded API server with the Gateway CRD, the Raven controller (CSR approver and endpoint election),
/// and helpers that play kubelet: loopback only, no root.</summary>
internal sealed class ProxyTestCluster : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopController = new();
    private readonly List<string> _stateDirectories = [];
    private Task? _controller;

    private readonly EmbeddedCluster _cluster;

    private ProxyTestCluster(EmbeddedCluster cluster)
    {
        _cluster = cluster;
        Server = cluster.Server;
        Client = cluster.Client;
    }

    public EmbeddedApiServer Server { get; }

    public KubeClient Client { get; }

    public static async Task<ProxyTestCluster> StartAsync()
    {
        return new ProxyTestCluster(await EmbeddedCluster.StartAsync(new EmbeddedApiServerOptions { BookmarkInterval = TimeSpan.FromSeconds(1) }, raven: true));
    }

    public void StartController()
    {
        var controller = new RavenController(Client, new ControllerOptions
        {
            LeaderElection = false,
            Identity = "proxy-test",
            ProbeAddress = null,
        }, new ControllerMetrics(), NullLoggerFactory.Instance);
        _controller = Task.Run(() => controller.RunAsync(_stopController.Token));
    }

    public Task SetL7Async(bool enabled) => Client.Api.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
    {
        Metadata = new() { Name = WellKnown.RavenGlobalConfig, NamespaceProperty = WellKnown.WorkingNamespace },
        Data = new Dictionary<string, string> { [WellKnown.EnableL3TunnelKey] = "false", [WellKnown.EnableL7ProxyKey] = enabled ? "true" : "false" },
    }, WellKnown.WorkingNamespace);

    /// <summary>What a kubelet registers: InternalIP, Ready, the gateway label and its daemon endpoint port.</summary>
    public Task AddNodeAsync(string name, string gateway, string ip, int kubeletPort) => Client.Api.CoreV1.CreateNodeAsync(new V1Node
    {
        Metadata = new() { Name = name, Labels = new Dictionary<string, string> { [WellKnown.GatewayLabel] = gateway } },
        Spec = new V1NodeSpec { PodCIDR = "10.244." + ip.Split('.')[3] + ".0/24" },
        Status = new V1NodeStatus
        {
            Addresses = [new V1NodeAddress { Type = KubeModelExtensions.AddressInternalIP, Address = ip }],
            Conditions = [new V1NodeCondition { Type = KubeModelExtensions.NodeReady, Status = "True" }],
            DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = kubeletPort } },
        },
    });

    public Task AddGatewayAsync(string name, string? exposeType, Endpoint proxyEndpoint) => Client.CustomObjects(KubeResources.Gateways).CreateAsync(new Gateway
    {
        Metadata = new() { Name = name },
        Spec = new GatewaySpec
        {
            ExposeType = exposeType,
            ProxyConfig = new ProxyConfiguration { Replicas = 1, ProxyHTTPPort = "10255", ProxyHTTPSPort = "10250" },
            TunnelConfig = new TunnelConfiguration { Replicas = 0 },
            Endpoints = [proxyEndpoint],
        },
    });

    /// <summary>A ProxyHost as the agent would run it, with loopback listeners and short polling.</summary>
    public ProxyHost NewHost(string nodeName, IPEndPoint? tunnelListen = null, string? stateDirectory = null, TimeSpan? requestTimeout = null,
        Action<Raven.Agent.Proxy.FrontEnd.ProxyDialTiming>? dialObserved = null, Action<Raven.Agent.Proxy.FrontEnd.ProxyRequestTiming>? requestObserved = null)
    {
        var state = stateDirectory ?? Directory.CreateTempSubdirectory("rvt-proxyhost-").FullName;
        _stateDirectories.Add(state);
        return new ProxyHost(Client, new ProxyHostOptions
        {
            NodeName = nodeName,
            StateDirectory = state,
            TunnelListen = tunnelListen ?? new IPEndPoint(IPAddress.Loopback, 0),
            SecureListen = new IPEndPoint(IPAddress.Loopback, 0),
            InsecureListen = new IPEndPoint(IPAddress.Loopback, 0),
            AllowedSourceCidrs = [IPNetwork.Parse("127.0.0.0/8")],
            ClusterCaPem = Server.CaCertificatePem,
            ServiceAccountCaPath = Path.Combine(state, "no-service-account-ca.crt"),
            Certificates = new CsrCertificateManagerOptions
            {
                PollInterval = TimeSpan.FromMilliseconds(100),
                RequestTimeout = requestTimeout ?? TimeSpan.FromMinutes(1),
                InitialRetryDelay = TimeSpan.FromMilliseconds(200),
                Identity = CsrRequesterIdentity.Node(nodeName),
            },
            ClientInitialBackoff = TimeSpan.FromMilliseconds(100),
            DialObserved = dialObserved,
            RequestObserved = requestObserved,
        });
    }

    /// <summary>A port nobody listens on right now (the tunnel port must be known before the Gateway is written).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopController.CancelAsync();
        if (_controller is not null)
        {
            await _controller.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _stopController.Dispose();
        await _cluster.DisposeAsync();
        foreach (var directory in _stateDirectories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
