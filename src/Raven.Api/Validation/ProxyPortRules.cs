using Raven.Api.V1Beta1;

namespace Raven.Api.Validation;

/// <summary>
/// proxyHTTPPort / proxyHTTPSPort: every entry must be a port (anything else cannot be served); a repeat, or a port in
/// both lists, is a warning — OpenYurt takes both, and the controller serves each port once (as plain HTTP when in both).
/// </summary>
internal static class ProxyPortRules
{
    private const string HttpPath = "spec.proxyConfig.proxyHTTPPort";
    private const string HttpsPath = "spec.proxyConfig.proxyHTTPSPort";

    public static IEnumerable<FieldError> Check(ProxyConfiguration config)
    {
        var http = PortList.Parse(config.ProxyHTTPPort);
        var https = PortList.Parse(config.ProxyHTTPSPort);
        var errors = CheckList(http, HttpPath).Concat(CheckList(https, HttpsPath)).ToList();
        var httpPorts = http.Where(e => e.Port is not null).Select(e => e.Port!.Value).ToHashSet();
        foreach (var port in https.Where(e => e.Port is not null && httpPorts.Contains(e.Port.Value)).Select(e => e.Port!.Value).Distinct())
        {
            errors.Add(FieldError.Duplicate(HttpsPath, port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "a port is either plain HTTP or HTTPS: it is also listed in spec.proxyConfig.proxyHTTPPort, so x-raven-proxy-internal-svc serves it as plain HTTP").AsWarning());
        }

        return errors;
    }

    private static IEnumerable<FieldError> CheckList(IReadOnlyList<PortList.Entry> entries, string path)
    {
        var seen = new HashSet<int>();
        foreach (var entry in entries)
        {
            if (entry.Port is null)
            {
                yield return FieldError.Invalid(path, entry.Text,
                    $"entry {entry.Index + 1} is not a port number between 1 and 65535 (write ports separated by commas, e.g. \"10255,9445\")");
            }
            else if (!seen.Add(entry.Port.Value))
            {
                yield return FieldError.Duplicate(path, entry.Text, "the port is listed more than once; it counts once").AsWarning();
            }
        }
    }
}
