using System.Globalization;
using System.Text.RegularExpressions;
using Raven.Api;

namespace Raven.Controller.Config;

/// <summary>
/// Pure: the data of kube-system/raven-cfg → <see cref="RavenConfig"/>. Line-valued keys hold one
/// <c>name=value</c> per line (blank lines and lines starting with '#' are skipped). Every message names the
/// key, the line number within that value and the line, and says how to write it.
/// </summary>
public static partial class RavenConfigParser
{
    private static readonly string[] Switches = [WellKnown.EnableL3TunnelKey, WellKnown.EnableL7ProxyKey];

    private static readonly string[] KnownKeys =
    [
        WellKnown.EnableL3TunnelKey, WellKnown.EnableL7ProxyKey, RavenConfig.GatewayReplicasKey, RavenConfig.ProxyPortKey,
        RavenConfig.ExposedGatewayKey, RavenConfig.GatewayNodesKey,
    ];

    public static RavenConfig Parse(IReadOnlyDictionary<string, string>? data)
    {
        data ??= new Dictionary<string, string>();
        var problems = new List<RavenConfigProblem>();
        foreach (var key in data.Keys.Where(k => !KnownKeys.Contains(k)).Order(StringComparer.Ordinal))
        {
            problems.Add(new(key, false, $"raven-cfg: unknown key \"{key}\" is ignored; known keys are {string.Join(", ", KnownKeys)}"));
        }

        foreach (var key in Switches.Where(data.ContainsKey))
        {
            if (data[key].Trim().ToLowerInvariant() is not ("true" or "false"))
            {
                problems.Add(new(key, false, $"raven-cfg {key}: \"{data[key]}\" is neither \"true\" nor \"false\" and counts as false; write {key}: \"true\""));
            }
        }

        return new RavenConfig
        {
            GatewayReplicas = data.TryGetValue(RavenConfig.GatewayReplicasKey, out var replicas) ? Replicas(replicas, problems) : null,
            ProxyHttpPorts = data.TryGetValue(RavenConfig.ProxyPortKey, out var ports) ? Ports(ports, "http", problems) : null,
            ProxyHttpsPorts = ports is not null ? Ports(ports, "https", null) : null,
            ExposedGateways = data.TryGetValue(RavenConfig.ExposedGatewayKey, out var exposed) ? Exposed(exposed, problems) : new Dictionary<string, string>(StringComparer.Ordinal),
            GatewayNodes = data.TryGetValue(RavenConfig.GatewayNodesKey, out var nodes) ? Nodes(nodes, problems) : new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal),
            Problems = problems,
        };
    }

    private static int? Replicas(string value, List<RavenConfigProblem> problems)
    {
        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 100)
        {
            return n;
        }

        problems.Add(Error(RavenConfig.GatewayReplicasKey, $"raven-cfg {RavenConfig.GatewayReplicasKey}: \"{value}\" is not a whole number from 0 to 100; write {RavenConfig.GatewayReplicasKey}: \"1\""));
        return null;
    }

    /// <summary>The ports of one scheme; problems are reported once, on the "http" pass.</summary>
    private static List<int>? Ports(string value, string scheme, List<RavenConfigProblem>? problems)
    {
        const string key = RavenConfig.ProxyPortKey;
        const string example = "l7-proxy-port: |\n  https=10250\n  http=10255";
        List<int>? result = null;
        foreach (var (number, line) in Lines(value))
        {
            if (!Pair(line, out var name, out var list))
            {
                problems?.Add(Error(key, LineMessage(key, number, line, "expected http=<port>[,<port>...] or https=<port>[,<port>...]", example)));
                continue;
            }

            if (name is not ("http" or "https"))
            {
                problems?.Add(Error(key, LineMessage(key, number, line, $"\"{name}\" is neither http nor https", example)));
                continue;
            }

            var parsed = new List<int>();
            foreach (var item in list)
            {
                if (int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
                {
                    parsed.Add(port);
                }
                else
                {
                    problems?.Add(Error(key, LineMessage(key, number, line, $"\"{item}\" is not a port from 1 to 65535", example)));
                }
            }

            if (name == scheme)
            {
                result ??= [];
                result.AddRange(parsed.Where(p => !result.Contains(p)));
            }
        }

        return result;
    }

    private static Dictionary<string, string> Exposed(string value, List<RavenConfigProblem> problems)
    {
        const string key = RavenConfig.ExposedGatewayKey;
        const string example = "exposed-gateway: |\n  gw-cloud=LoadBalancer";
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (number, line) in Lines(value))
        {
            if (!Pair(line, out var gateway, out var types) || types.Count != 1)
            {
                problems.Add(Error(key, LineMessage(key, number, line, "expected <gateway>=PublicIP or <gateway>=LoadBalancer", example)));
                continue;
            }

            var type = types[0] switch
            {
                var t when t.Equals(WellKnown.ExposeTypePublicIP, StringComparison.OrdinalIgnoreCase) => WellKnown.ExposeTypePublicIP,
                var t when t.Equals(WellKnown.ExposeTypeLoadBalancer, StringComparison.OrdinalIgnoreCase) => WellKnown.ExposeTypeLoadBalancer,
                _ => null,
            };
            if (type is null || !IsName(gateway))
            {
                problems.Add(Error(key, LineMessage(key, number, line, type is null
                    ? $"\"{types[0]}\" is neither PublicIP nor LoadBalancer"
                    : $"\"{gateway}\" is not a valid Gateway name", example)));
            }
            else if (result.TryGetValue(gateway, out var earlier) && earlier != type)
            {
                problems.Add(Error(key, LineMessage(key, number, line, $"{gateway} is already exposed as {earlier} on an earlier line", example)));
            }
            else
            {
                result[gateway] = type;
            }
        }

        return result;
    }

    private static Dictionary<string, IReadOnlyList<string>> Nodes(string value, List<RavenConfigProblem> problems)
    {
        const string key = RavenConfig.GatewayNodesKey;
        const string example = "gateway-nodes: |\n  gw-cloud=cloud-node-1\n  gw-edge=edge-node-1";
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var gatewayOfNode = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (number, line) in Lines(value))
        {
            if (!Pair(line, out var gateway, out var nodes) || nodes.Count == 0)
            {
                problems.Add(Error(key, LineMessage(key, number, line, "expected <gateway>=<node>[,<node>...]", example)));
                continue;
            }

            var badName = IsName(gateway) ? nodes.FirstOrDefault(n => !IsName(n)) : gateway;
            if (badName is not null)
            {
                problems.Add(Error(key, LineMessage(key, number, line, $"\"{badName}\" is not a valid name", example)));
                continue;
            }

            foreach (var node in nodes)
            {
                if (gatewayOfNode.TryGetValue(node, out var other) && other != gateway)
                {
                    problems.Add(Error(key, LineMessage(key, number, line, $"node {node} is already a gateway node of {other}", example)));
                    continue;
                }

                gatewayOfNode[node] = gateway;
                var list = result.TryGetValue(gateway, out var existing) ? existing : result[gateway] = [];
                if (!list.Contains(node))
                {
                    list.Add(node);
                }
            }
        }

        return result.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>Numbered non-blank, non-comment lines, trimmed.</summary>
    private static IEnumerable<(int Number, string Line)> Lines(string value) =>
        value.Split('\n').Select((line, i) => (i + 1, line.Trim())).Where(l => l.Item2.Length > 0 && !l.Item2.StartsWith('#'));

    /// <summary>"name=a,b" → name and the comma-separated items (spaces around them allowed); false on anything else.</summary>
    private static bool Pair(string line, out string name, out List<string> items)
    {
        var equals = line.IndexOf('=', StringComparison.Ordinal);
        name = equals > 0 ? line[..equals].Trim() : "";
        items = equals > 0 ? line[(equals + 1)..].Split(',').Select(i => i.Trim()).Where(i => i.Length > 0).ToList() : [];
        return equals > 0 && name.Length > 0 && !name.Any(char.IsWhiteSpace) && !items.Any(i => i.Any(char.IsWhiteSpace) || i.Contains('=', StringComparison.Ordinal));
    }

    private static string LineMessage(string key, int number, string line, string problem, string example)
    {
        var hint = line.Count(c => c == '=') > 1 || line.Trim().Contains(' ', StringComparison.Ordinal) && line.Contains('=', StringComparison.Ordinal)
            ? " (several entries on one line: the value was folded, so it was written without '|' or with its lines not indented under the key)"
            : "";
        var indented = string.Join("\n", example.Split('\n').Select(l => "    " + l));
        return $"raven-cfg {key} line {number} \"{line}\": {problem}{hint}; write one entry per line under a '|' block, indented:\n{indented}";
    }

    private static RavenConfigProblem Error(string key, string message) => new(key, true, message);

    private static bool IsName(string name) => name.Length <= 253 && NamePattern().IsMatch(name);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex NamePattern();
}
