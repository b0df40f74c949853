using Raven.Agent.Engine;
using Raven.Agent.Tunnel;
using Raven.Agent.Tunnel.IPsec;
using Raven.Api;

namespace Raven.Cli.Diagnose;

/// <summary>
/// IPsec agents refuse to start without the cluster's pre-shared key, which the DaemonSet takes from Secret
/// raven-agent-secret. Only the key's presence is checked: its value never reaches the snapshot.
/// </summary>
internal static class PresharedKeyCheck
{
    public const string Name = "psk";

    public static IEnumerable<CheckResult> Run(DiagnoseContext context)
    {
        var secret = $"Secret {WellKnown.WorkingNamespace}/{PresharedKey.SecretName}";
        var driver = AgentConfigCheck.Driver(context);
        if (TunnelBackends.Find(driver) is not { } backend)
        {
            return [CheckResult.Passed(Name, $"not checked: {AgentOptionsParser.VpnDriverConfigKey} \"{driver}\" names no backend (see {AgentConfigCheck.Name})")];
        }

        if (context.Snapshot.Unreadable.TryGetValue("secret", out var refused))
        {
            return [CheckResult.Warning(Name, $"cannot read {secret}: {refused}", "run with credentials that may get secrets in " + WellKnown.WorkingNamespace)];
        }

        if (context.Snapshot.AgentSecretKeys?.Contains(PresharedKey.SecretKey) == true)
        {
            return [CheckResult.Passed(Name, $"{secret} holds {PresharedKey.SecretKey} (value not shown); backend {backend.Name}")];
        }

        var missing = context.Snapshot.AgentSecretKeys is null ? $"{secret} is missing" : $"{secret} has no {PresharedKey.SecretKey}";
        var create = $"kubectl -n {WellKnown.WorkingNamespace} create secret generic {PresharedKey.SecretName} --from-literal={PresharedKey.SecretKey}=\"$(openssl rand -base64 32)\"";
        return backend.RequiresPresharedKey
            ? [CheckResult.Failed(Name, $"{missing}: the {backend.Name} backend needs it, so its agents refuse to start", $"{create}, then kubectl -n {WellKnown.WorkingNamespace} rollout restart ds/raven-agent-ds")]
            : [CheckResult.Warning(Name, $"{missing}: not needed by the {backend.Name} backend, but switching to IPsec would stop every agent", create)];
    }
}
