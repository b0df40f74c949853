using System.Net;
using Raven.Agent.Proxy.Certificates;

namespace Raven.Agent.Proxy.Cluster;

/// <summary>Settings of the L7 proxy on one node.</summary>
public sealed record ProxyHostOptions
{
    /// <summary>This node's name (the proxy client identity and the CSR names).</summary>
    public required string NodeName { get; init; }

    /// <summary>Certificates go to &lt;StateDirectory&gt;/certs (upstream /var/lib/raven).</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Tunnel server (10262). Port 0 picks a free port (tests); clients dial the Gateway endpoint's port.</summary>
    public IPEndPoint TunnelListen { get; init; } = new(IPAddress.Any, Raven.Api.WellKnown.ProxyServerExposedPort);

    /// <summary>HTTPS front end (10263); null disables it.</summary>
    public IPEndPoint? SecureListen { get; init; } = new(IPAddress.Any, Raven.Api.WellKnown.ProxyServerSecurePort);

    /// <summary>HTTP front end (10264); null disables it.</summary>
    public IPEndPoint? InsecureListen { get; init; } = new(IPAddress.Any, Raven.Api.WellKnown.ProxyServerInsecurePort);

    /// <summary>Sources allowed on the HTTP front end; empty means nobody.</summary>
    public IReadOnlyList<IPNetwork> AllowedSourceCidrs { get; init; } = [];

    /// <summary>Extra serving-certificate SANs (upstream --server-cert-ips / --server-cert-dns-names).</summary>
    public IReadOnlyList<IPAddress> ServerCertIps { get; init; } = [];

    public IReadOnlyList<string> ServerCertDnsNames { get; init; } = [];

    /// <summary>The cluster CA as PEM, when neither the service-account ca.crt nor the kubeconfig carries it (the
    /// embedded API server over plain HTTP: pass its CaCertificatePem).</summary>
    public string? ClusterCaPem { get; init; }

    /// <summary>A file holding the cluster CA bundle.</summary>
    public string? ClusterCaFile { get; init; }

    /// <summary>Where the in-cluster CA would be mounted (tests point it elsewhere).</summary>
    public string ServiceAccountCaPath { get; init; } = ClusterTrust.ServiceAccountCaPath;

    /// <summary>CSR polling, timeouts, and the requester identity for unauthenticating API servers.</summary>
    public CsrCertificateManagerOptions Certificates { get; init; } = new();

    /// <summary>Told of every dial the proxy server's front ends make, with its duration (metrics); null: nobody.</summary>
    public Action<Raven.Agent.Proxy.FrontEnd.ProxyDialTiming>? DialObserved { get; init; }

    /// <summary>Told of every request the proxy server's front ends answer (metrics); null: nobody.</summary>
    public Action<Raven.Agent.Proxy.FrontEnd.ProxyRequestTiming>? RequestObserved { get; init; }

    /// <summary>Tunnel client reconnect backoff start (tests shorten it).</summary>
    public TimeSpan ClientInitialBackoff { get; init; } = TimeSpan.FromSeconds(1);
}
