using System.Net;
using Raven.Api;

namespace Raven.Agent.Proxy.FrontEnd;

public sealed class ProxyFrontEndOptions
{
    /// <summary>HTTPS entry (upstream <c>proxy-internal-secure-addr</c>); callers must present a client certificate
    /// issued by the cluster CA. Null disables it.</summary>
    public IPEndPoint? SecureListenEndPoint { get; set; } = new(IPAddress.Any, WellKnown.ProxyServerSecurePort);

    /// <summary>Plain HTTP entry (upstream <c>proxy-internal-insecure-addr</c>), open only to
    /// <see cref="AllowedSourceCidrs"/>. Null disables it.</summary>
    public IPEndPoint? InsecureListenEndPoint { get; set; } = new(IPAddress.Any, WellKnown.ProxyServerInsecurePort);

    /// <summary>Sources allowed on the plain HTTP entry. Empty means nobody (the entry answers 403).</summary>
    public IReadOnlyList<IPNetwork> AllowedSourceCidrs { get; set; } = [];

    /// <summary>The Gateway this server belongs to: its nodes are dialed directly, not through a tunnel.</summary>
    public string? LocalGatewayName { get; set; }

    /// <summary>Ports always proxied besides the gateways' lists (kubelet HTTPS and read-only ports).</summary>
    public IReadOnlyCollection<int> KubeletPorts { get; set; } = [10250, 10255];

    /// <summary>TCP connect timeout for direct dials inside our own domain.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Told of every dial to a target and how long it took (the agent's dial histogram); null: nobody.</summary>
    public Action<ProxyDialTiming>? DialObserved { get; set; }

    /// <summary>Told of every request answered, with its route, status and duration (the agent's request metrics); null: nobody.</summary>
    public Action<ProxyRequestTiming>? RequestObserved { get; set; }

    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromMilliseconds(500);
}
