namespace Raven.Controller.Services;

/// <summary>A Service port the controller wants: name may be empty for single-port Services.</summary>
public sealed record DesiredPort(string Name, string Protocol, int Port, int TargetPort);

/// <summary>One address behind a manually managed Endpoints object.</summary>
public sealed record DesiredAddress(string Ip, string NodeName);

/// <summary>A Service plus its manually managed Endpoints (same name), as the controller wants them.</summary>
public sealed record DesiredService(
    string Name,
    string Type,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyList<DesiredPort> Ports,
    IReadOnlyList<DesiredAddress> Addresses,
    string? ExternalTrafficPolicy);

/// <summary>Target ports from kube-system/raven-agent-config ("host:port" values; defaults as upstream).</summary>
public sealed record AgentPorts(int ProxyExternal, int Tunnel, int ProxySecure, int ProxyInsecure)
{
    public static readonly AgentPorts Defaults = new(10262, 4500, 10263, 10264);

    public static AgentPorts FromConfigMap(IReadOnlyDictionary<string, string>? data, ICollection<string> problems) => new(
        Port(data, "proxy-external-addr", Defaults.ProxyExternal, problems),
        Port(data, "tunnel-bind-addr", Defaults.Tunnel, problems),
        Port(data, "proxy-internal-secure-addr", Defaults.ProxySecure, problems),
        Port(data, "proxy-internal-insecure-addr", Defaults.ProxyInsecure, problems));

    private static int Port(IReadOnlyDictionary<string, string>? data, string key, int fallback, ICollection<string> problems)
    {
        if (data is null || !data.TryGetValue(key, out var value) || string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        var colon = value.LastIndexOf(':');
        if (int.TryParse(value[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
        {
            return port;
        }

        problems.Add($"raven-agent-config {key}: '{value}' is not host:port; using port {fallback}");
        return fallback;
    }
}
