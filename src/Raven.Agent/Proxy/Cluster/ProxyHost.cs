using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Proxy.Certificates;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Kube.Client;
using Raven.Kube.Client.Cache;
using k8s.Models;
using Raven.Kube.Models;

namespace Raven.Agent.Proxy.Cluster;

/// <summary>
/// The L7 proxy of one node: watches Gateways, nodes and raven-cfg, decides the role (<see cref="ProxyRoles.Decide"/>)
/// on every change and runs the tunnel client and/or the tunnel server with its front ends accordingly. Certificates
/// are requested in the background; a role starts once its certificates are issued, and nothing here ever blocks the
/// caller (the L3 engine) while waiting for them.
/// </summary>
public sealed partial class ProxyHost : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly KubeClient _client;
    private readonly ProxyHostOptions _options;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly Informer<V1Node> _nodes;
    private readonly Informer<Gateway> _gateways;
    private readonly Informer<V1ConfigMap> _ravenCfg;
    private readonly Informer<V1Service> _internalService;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private ClusterCertificateSource? _certificates;
    private ClusterProxyDirectory? _directory;
    private ProxyServerRole? _server;
    private Tunnel.TunnelClient? _tunnelClient;
    private ProxyRoles _roles = ProxyRoles.None(null, "not started");
    private string? _lastError;
    private int _disposed;

    public ProxyHost(KubeClient client, ProxyHostOptions options, ILoggerFactory? logs = null, TimeProvider? clock = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.NodeName);
        ArgumentException.ThrowIfNullOrEmpty(options.StateDirectory);
        _logs = logs ?? NullLoggerFactory.Instance;
        _logger = _logs.CreateLogger<ProxyHost>();
        _clock = clock ?? TimeProvider.System;
        _nodes = new Informer<V1Node>(client, KubeResources.Nodes, null, _logger);
        _gateways = new Informer<Gateway>(client, KubeResources.Gateways, null, _logger);
        _ravenCfg = new Informer<V1ConfigMap>(client, KubeResources.ConfigMaps, new InformerOptions
        {
            Namespace = WellKnown.WorkingNamespace,
            FieldSelector = "metadata.name=" + WellKnown.RavenGlobalConfig,
        }, _logger);
        _internalService = new Informer<V1Service>(client, KubeResources.Services, new InformerOptions
        {
            Namespace = WellKnown.WorkingNamespace,
            FieldSelector = "metadata.name=" + ProxyServerSans.InternalServiceName,
        }, _logger);
    }

    /// <summary>The certificates in use (null before <see cref="StartAsync"/>).</summary>
    public ICertificateSource? Certificates => _certificates;

    /// <summary>Starts watching and returns at once; roles start in the background as their certificates arrive.
    /// Throws only for configuration errors (an unreadable cluster CA).</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_certificates is not null)
        {
            return Task.CompletedTask;
        }

        var authorities = ClusterTrust.Load(_options.ClusterCaPem, _options.ClusterCaFile, _client.Endpoint, _options.ServiceAccountCaPath);
        if (authorities.Count == 0)
        {
            LogNoCa();
        }

        _certificates = new ClusterCertificateSource(authorities);
        _directory = new ClusterProxyDirectory(_nodes, _gateways, _client);
        var handler = (Action)(() => Signal());
        _nodes.AddHandler(new InformerHandler<V1Node>(n => OnNode(n), (_, n) => OnNode(n), n => OnNode(n)));
        _gateways.AddHandler(new InformerHandler<Gateway>(_ => handler(), (_, _) => handler(), _ => handler()));
        _ravenCfg.AddHandler(new InformerHandler<V1ConfigMap>(_ => handler(), (_, _) => handler(), _ => handler()));
        _internalService.AddHandler(new InformerHandler<V1Service>(_ => handler(), (_, _) => handler(), _ => handler()));
        var token = _stop.Token;
        _tasks.Add(Task.Run(() => _nodes.RunAsync(token), CancellationToken.None));
        _tasks.Add(Task.Run(() => _gateways.RunAsync(token), CancellationToken.None));
        _tasks.Add(Task.Run(() => _ravenCfg.RunAsync(token), CancellationToken.None));
        _tasks.Add(Task.Run(() => _internalService.RunAsync(token), CancellationToken.None));
        _tasks.Add(Task.Run(() => LoopAsync(token), CancellationToken.None));
        // Empty lists deliver no events, so the first decision waits for every cache to sync, not for a handler.
        _tasks.Add(Task.Run(() => SignalWhenSyncedAsync(token), CancellationToken.None));
        return Task.CompletedTask;
    }

    private void OnNode(V1Node node)
    {
        if (node.Metadata.Name == _options.NodeName)
        {
            Signal();
        }
    }

    private void Signal() => _signal.Writer.TryWrite(true);

    private async Task SignalWhenSyncedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_nodes.WaitForSyncAsync(cancellationToken), _gateways.WaitForSyncAsync(cancellationToken),
                _ravenCfg.WaitForSyncAsync(cancellationToken), _internalService.WaitForSyncAsync(cancellationToken)).ConfigureAwait(false);
            Signal();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var unused in _signal.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await ReconcileAsync().ConfigureAwait(false);
                    Volatile.Write(ref _lastError, null);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Volatile.Write(ref _lastError, e.Message);
                    LogReconcileFailed(e.Message, RetryDelay);
                    _ = Task.Delay(RetryDelay, _clock, cancellationToken).ContinueWith(t => Signal(), TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReconcileAsync()
    {
        if (!_nodes.HasSynced || !_gateways.HasSynced || !_ravenCfg.HasSynced || !_internalService.HasSynced)
        {
            return;
        }

        var localNode = _nodes.Store.Get(null, _options.NodeName);
        var cfg = _ravenCfg.Store.Get(WellKnown.WorkingNamespace, WellKnown.RavenGlobalConfig).ReadOnlyData();
        var roles = ProxyRoles.Decide(ProxyRoles.L7Enabled(cfg), _gateways.Store.List(), _options.NodeName,
            localNode?.Metadata.Label(WellKnown.GatewayLabel));
        if (!Equivalent(roles, Volatile.Read(ref _roles)))
        {
            LogRoles(roles.Client, roles.Server, roles.LocalGateway ?? "(none)", roles.Reason);
        }

        Volatile.Write(ref _roles, roles);
        var nodeIp = localNode is null ? null : ProxyNodes.FromApi(localNode).InternalIP;
        await ApplyClientAsync(roles, nodeIp).ConfigureAwait(false);
        await ApplyServerAsync(roles, nodeIp).ConfigureAwait(false);
    }

    private static bool Equivalent(ProxyRoles a, ProxyRoles b) =>
        a.Client == b.Client && a.Server == b.Server && a.LocalGateway == b.LocalGateway && a.ServerTargets.SequenceEqual(b.ServerTargets);

    private async Task ApplyClientAsync(ProxyRoles roles, IPAddress? nodeIp)
    {
        if (!roles.Client)
        {
            if (Interlocked.Exchange(ref _tunnelClient, null) is { } stopped)
            {
                LogClientStopped();
                await stopped.DisposeAsync().ConfigureAwait(false);
            }

            return;
        }

        var manager = EnsureManager(ProxyCertificateProfile.TunnelClient, ProxyServerSans.ForClient(_options.NodeName, nodeIp));
        if (manager.Current is null)
        {
            return;
        }

        if (_tunnelClient is null)
        {
            Volatile.Write(ref _tunnelClient, new Tunnel.TunnelClient(new Tunnel.TunnelClientOptions
            {
                NodeName = _options.NodeName,
                InitialBackoff = _options.ClientInitialBackoff,
            }, _certificates!, _logs.CreateLogger<Tunnel.TunnelClient>(), _clock));
            LogClientStarted();
        }

        await _tunnelClient!.SetServersAsync(roles.ServerTargets).ConfigureAwait(false);
    }

    private async Task ApplyServerAsync(ProxyRoles roles, IPAddress? nodeIp)
    {
        var running = _server;
        if (running is not null && (!roles.Server || running.LocalGateway != roles.LocalGateway))
        {
            Volatile.Write(ref _server, null);
            LogServerStopped(running.LocalGateway);
            await running.DisposeAsync().ConfigureAwait(false);
            running = null;
        }

        if (!roles.Server)
        {
            return;
        }

        var sans = ProxyServerSans.Compute(_options.NodeName, nodeIp, roles.PublicIps,
            _internalService.Store.Get(WellKnown.WorkingNamespace, ProxyServerSans.InternalServiceName),
            _options.ServerCertIps, _options.ServerCertDnsNames);
        var serverCertificate = EnsureManager(ProxyCertificateProfile.Server, sans);
        serverCertificate.SetDesiredSans(sans);
        var userCertificate = EnsureManager(ProxyCertificateProfile.ProxyUser, CertificateSans.None);
        if (running is not null || serverCertificate.Current is null || userCertificate.Current is null)
        {
            return;
        }

        var started = await ProxyServerRole.StartAsync(_options, roles.LocalGateway!, _certificates!, _directory!, _logs, _clock)
            .ConfigureAwait(false);
        Volatile.Write(ref _server, started);
        LogServerStarted(started.LocalGateway, started.Tunnel.LocalEndPoint, started.FrontEnd.SecureEndPoint, started.FrontEnd.InsecureEndPoint);
    }

    private CsrCertificateManager EnsureManager(ProxyCertificateProfile profile, CertificateSans sans)
    {
        var source = _certificates!;
        var existing = profile == ProxyCertificateProfile.Server ? source.Server
            : profile == ProxyCertificateProfile.ProxyUser ? source.ProxyUser : source.TunnelClient;
        if (existing is not null)
        {
            return existing;
        }

        var manager = new CsrCertificateManager(profile, _options.NodeName, _options.StateDirectory, _client, sans,
            () => source.TrustedAuthorities, _options.Certificates, _logs.CreateLogger<CsrCertificateManager>(), _clock);
        manager.Changed += (_, _) => Signal();
        source.Attach(manager);
        manager.Start();
        return manager;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _signal.Writer.TryComplete();
        await Task.WhenAll(_tasks).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _tunnelClient, null) is { } client)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _server, null) is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var manager in new[] { _certificates?.Server, _certificates?.ProxyUser, _certificates?.TunnelClient }.OfType<CsrCertificateManager>())
        {
            await manager.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
