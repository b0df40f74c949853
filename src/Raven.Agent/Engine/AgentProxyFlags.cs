using System.Net;
using Raven.Agent.Proxy.Certificates;
using Raven.Agent.Proxy.Cluster;
using Raven.Api.Net;

namespace Raven.Agent.Engine;

/// <summary>
/// The L7 proxy's flags. They are read here, next to the L3 options, and handed to <see cref="ProxyHost"/>; the
/// proxy's roles themselves follow the Gateways and raven-cfg at run time.
/// </summary>
public static class AgentProxyFlags
{
    public const string AllowedSourceCidrs = "proxy-allowed-source-cidrs";
    public const string ClusterCaFile = "proxy-cluster-ca-file";
    public const string ServerCertIps = "proxy-server-cert-ips";
    public const string CsrAsNode = "proxy-csr-as-node";

    public static readonly IReadOnlyDictionary<string, string> Help = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [AllowedSourceCidrs] = "Comma-separated CIDRs allowed to use the plain-HTTP proxy entry (10264); empty allows nobody.",
        [ClusterCaFile] = "PEM of the cluster CA that signs proxy certificates (default: the service-account ca.crt or the kubeconfig's CA).",
        [ServerCertIps] = "Extra comma-separated IPs for the proxy server certificate.",
        [CsrAsNode] = "true: name this node as the CSR requester (for API servers without authentication, such as the lab's).",
    };

    /// <summary>The flags without the proxy's, for the L3 parser.</summary>
    public static Dictionary<string, string> WithoutProxyFlags(IReadOnlyDictionary<string, string> flags) =>
        flags.Where(f => !Help.ContainsKey(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    /// <exception cref="AgentOptionsException">A proxy flag is invalid.</exception>
    public static ProxyHostOptions Parse(IReadOnlyDictionary<string, string> flags, string nodeName, string stateDirectory)
    {
        var proxy = new ProxyHostOptions
        {
            NodeName = nodeName,
            StateDirectory = Path.Combine(stateDirectory, "proxy"),
            AllowedSourceCidrs = List(flags, AllowedSourceCidrs).Select(text => Cidr.TryParse(text, out var cidr, out var error)
                ? new IPNetwork(cidr.Network, cidr.PrefixLength)
                : throw new AgentOptionsException($"--{AllowedSourceCidrs}", error)).ToList(),
            ServerCertIps = List(flags, ServerCertIps).Select(text => Cidr.TryParseAddress(text, out var ip)
                ? ip
                : throw new AgentOptionsException($"--{ServerCertIps}", $"'{text}' is not an IP address")).ToList(),
            ClusterCaFile = flags.TryGetValue(ClusterCaFile, out var ca) && ca.Length > 0 ? ca : null,
        };
        if (flags.TryGetValue(CsrAsNode, out var asNode) && bool.TryParse(asNode, out var yes) && yes)
        {
            proxy = proxy with { Certificates = proxy.Certificates with { Identity = CsrRequesterIdentity.Node(nodeName) } };
        }

        return proxy;
    }

    private static IEnumerable<string> List(IReadOnlyDictionary<string, string> flags, string key) =>
        flags.TryGetValue(key, out var value) ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
}
