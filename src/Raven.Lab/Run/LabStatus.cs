using System.Text;
using Raven.Kube.Client;
using Raven.Lab.Shell;

namespace Raven.Lab.Run;

/// <summary>`raven lab status`: gateways with their elected endpoints, and the lab's processes.</summary>
public static class LabStatus
{
    public static async Task<string> RenderAsync(LabRunner lab, KubeClient client, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var gateways = (await client.Resource(KubeResources.GatewayV1Beta1).ListAsync(null, null, cancellationToken).ConfigureAwait(false)).Items;
        text.AppendLine("GATEWAY        EXPOSE    TUNNEL     PROXY      NODES  READY");
        foreach (var g in gateways)
        {
            string Active(string type) => string.Join(",", (g.Status.ActiveEndpoints ?? []).Where(e => e.Type == type).Select(e => e.NodeName)) is { Length: > 0 } s ? s : "-";
            var ready = g.Status.Conditions?.FirstOrDefault(c => c.Type == "Ready");
            text.AppendLine($"{g.Name,-14} {(string.IsNullOrEmpty(g.Spec.ExposeType) ? "-" : g.Spec.ExposeType),-9} {Active("tunnel"),-10} {Active("proxy"),-10} {g.Status.Nodes?.Count ?? 0,5}  {ready?.Status ?? "?"} {ready?.Reason}");
        }

        text.AppendLine();
        text.AppendLine("PROCESS              PID      STATE");
        foreach (var (name, identity) in new LabProcessTable(lab.Paths.Root).Entries().OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.AppendLine($"{name,-20} {identity.Pid,-8} {(identity.IsAlive ? "running" : "gone")}");
        }

        return text.ToString();
    }
}
