using System.Net;
using Raven.Agent.Proxy.Certificates;
using k8s.Models;

namespace Raven.Agent.Proxy.Cluster;

/// <summary>The proxy server certificate's SANs (pure): what clients and cloud callers may dial it by.</summary>
public static class ProxyServerSans
{
    public const string InternalServiceName = "x-raven-proxy-internal-svc";
    public const string WorkingNamespace = "kube-system";

    /// <summary>
    /// IPs: the node's InternalIP, 127.0.0.1, the gateway's proxy public IPs, the internal Service's cluster IPs and the
    /// extra IPs. DNS: the node name, the internal Service's names and the extra names.
    /// </summary>
    public static CertificateSans Compute(string nodeName, IPAddress? nodeIp, IEnumerable<IPAddress> publicIps,
        V1Service? internalService, IEnumerable<IPAddress> extraIps, IEnumerable<string> extraDnsNames)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        ArgumentNullException.ThrowIfNull(publicIps);
        ArgumentNullException.ThrowIfNull(extraIps);
        ArgumentNullException.ThrowIfNull(extraDnsNames);
        var ips = new List<IPAddress> { IPAddress.Loopback };
        if (nodeIp is not null)
        {
            ips.Add(nodeIp);
        }

        ips.AddRange(publicIps);
        ips.AddRange(extraIps);
        var names = new List<string> { nodeName };
        names.AddRange(extraDnsNames);
        if (internalService is not null)
        {
            var clusterIps = (internalService.Spec?.ClusterIPs ?? []).Append(internalService.Spec?.ClusterIP ?? "");
            ips.AddRange(clusterIps.Select(ip => IPAddress.TryParse(ip, out var parsed) ? parsed : null).OfType<IPAddress>());
            var ns = internalService.Metadata?.NamespaceProperty ?? WorkingNamespace;
            var name = internalService.Metadata?.Name ?? InternalServiceName;
            names.AddRange([name, $"{name}.{ns}", $"{name}.{ns}.svc", $"{name}.{ns}.svc.cluster.local"]);
        }

        return new CertificateSans(ips, names);
    }

    /// <summary>SANs of the tunnel client certificate: DNS node name and IP node InternalIP, as upstream.</summary>
    public static CertificateSans ForClient(string nodeName, IPAddress? nodeIp) =>
        new(nodeIp is null ? [] : [nodeIp], [nodeName]);
}
