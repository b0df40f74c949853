using System.Text.Json.Nodes;
using static Raven.ApiServer.Tables.TableCells;

namespace Raven.ApiServer.Tables;

/// <summary>The short tables of kubectl's printers: ConfigMaps, Secrets, Namespaces, Leases, Endpoints, EndpointSlices, CSRs.</summary>
internal static class SimpleTables
{
    private const int ShownAddresses = 3;

    public static TableLayout ConfigMaps { get; } = new(
        [TableColumn.ObjectName, new("Data", "string", "Number of keys in data and binaryData."), TableColumn.Age],
        (cm, now) => Row(Name(cm), Count(cm, "data") + Count(cm, "binaryData"), Age(cm, now)));

    public static TableLayout Secrets { get; } = new(
        [TableColumn.ObjectName, new("Type", "string", "The type of the secret."), new("Data", "string", "Number of keys in data."), TableColumn.Age],
        (secret, now) => Row(Name(secret), Text(secret, "type") ?? "", Count(secret, "data"), Age(secret, now)));

    public static TableLayout Namespaces { get; } = new(
        [TableColumn.ObjectName, new("Status", "string", "The status of the namespace."), TableColumn.Age],
        (ns, now) => Row(Name(ns), Text(ns["status"], "phase") ?? "", Age(ns, now)));

    public static TableLayout Leases { get; } = new(
        [TableColumn.ObjectName, new("Holder", "string", "The holder of the lease."), TableColumn.Age],
        (lease, now) => Row(Name(lease), Text(lease["spec"], "holderIdentity") ?? "", Age(lease, now)));

    public static TableLayout Endpoints { get; } = new(
        [TableColumn.ObjectName, new("Endpoints", "string", "Endpoints of the service."), TableColumn.Age],
        (ep, now) => Row(Name(ep), EndpointAddresses(ep), Age(ep, now)));

    public static TableLayout EndpointSlices { get; } = new(
    [
        TableColumn.ObjectName,
        new("AddressType", "string", "The type of addresses in this slice."),
        new("Ports", "string", "The ports of this slice."),
        new("Endpoints", "string", "The addresses of this slice."),
        TableColumn.Age,
    ], (slice, now) => Row(Name(slice), Text(slice, "addressType") ?? "", SlicePorts(slice), SliceAddresses(slice), Age(slice, now)));

    public static TableLayout CertificateSigningRequests { get; } = new(
    [
        TableColumn.ObjectName,
        TableColumn.Age,
        new("SignerName", "string", "The signer that is asked to sign the certificate."),
        new("Requestor", "string", "The user who created the request."),
        new("RequestedDuration", "string", "The validity the requester asked for."),
        new("Condition", "string", "Approved, Denied, Failed or Pending, and Issued once signed."),
    ], (csr, now) => Row(Name(csr), Age(csr, now), Text(csr["spec"], "signerName") ?? "", Text(csr["spec"], "username") ?? "",
        Integer(csr["spec"], "expirationSeconds") is > 0 and var seconds ? HumanDuration.Format(TimeSpan.FromSeconds(seconds)) : None,
        CsrCondition(csr)));

    /// <summary>
    /// The default table of kinds without a printer (CustomResourceDefinitions, Roles, ClusterRoles): Name and the
    /// creation time as a date.
    /// </summary>
    public static TableLayout CreatedAt { get; } = new(
        [TableColumn.ObjectName, new("Created At", "date", "CreationTimestamp is a timestamp representing the server time when this object was created.")],
        (obj, _) => Row(Name(obj), Text(obj["metadata"], "creationTimestamp") ?? ""));

    /// <summary>formatEndpoints: up to three ip:port pairs, then "+ N more...", "&lt;none&gt;" without subsets.</summary>
    private static string EndpointAddresses(JsonObject endpoints)
    {
        var subsets = Items(endpoints, "subsets").ToList();
        if (subsets.Count == 0) return None;
        var shown = new List<string>();
        var total = 0;
        foreach (var subset in subsets)
        {
            var ips = Items(subset, "addresses").Select(a => Text(a, "ip") ?? "").ToList();
            var ports = Items(subset, "ports").ToList();
            var pairs = ports.Count == 0 ? ips : ports.SelectMany(p => ips.Select(ip => JoinHostPort(ip, Integer(p, "port"))));
            foreach (var pair in pairs)
            {
                total++;
                if (shown.Count < ShownAddresses) shown.Add(pair);
            }
        }

        return Shortened(shown, total, "");
    }

    private static string SlicePorts(JsonObject slice)
    {
        var ports = Items(slice, "ports").Select(p => p["port"] is null ? "<unset>" : Integer(p, "port").ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return ports.Count == 0 ? "<unset>" : string.Join(",", ports);
    }

    private static string SliceAddresses(JsonObject slice)
    {
        var addresses = Items(slice, "endpoints").SelectMany(e => Strings(e, "addresses")).ToList();
        return Shortened(addresses.Take(ShownAddresses).ToList(), addresses.Count, "<unset>");
    }

    private static string Shortened(List<string> shown, int total, string empty)
    {
        if (total == 0) return empty;
        var text = string.Join(",", shown);
        return total > shown.Count ? $"{text} + {total - shown.Count} more..." : text;
    }

    private static string JoinHostPort(string ip, long port) => ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]:{port}" : $"{ip}:{port}";

    private static string CsrCondition(JsonObject csr)
    {
        var types = Items(csr["status"], "conditions").Select(c => Text(c, "type")).ToHashSet();
        var condition = types.Contains("Denied") ? "Denied" : types.Contains("Approved") ? "Approved" : "Pending";
        if (types.Contains("Failed")) condition += ",Failed";
        if (!string.IsNullOrEmpty(Text(csr["status"], "certificate"))) condition += ",Issued";
        return condition;
    }
}
