using Microsoft.Extensions.Logging;
using Raven.Api;
using Raven.Api.V1Beta1;
using Raven.Controller.Election;
using Raven.Controller.Runtime;
using Raven.Kube.Client;
using k8s.Models;
using Raven.Kube.Models;

namespace Raven.Controller.Reconcilers;

/// <summary>Elects active endpoints and writes status.nodes, conditions and events for one Gateway.</summary>
public sealed class GatewayPickupReconciler(
    ClusterCache cache, KubeClient client, EventQueue events, ControllerMetrics metrics, TimeProvider time, ILogger logger) : IReconciler
{
    private readonly CustomObjectClient<Gateway> _gateways = client.CustomObjects(KubeResources.Gateways);

    public string Name => "gateway-pickup";

    public async Task<TimeSpan?> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        if (cache.Gateways.Store.Get(null, key) is null)
        {
            metrics.ForgetGateway(key);
            return null;
        }

        var now = time.GetUtcNow();
        var byGateway = cache.Nodes.Store.List().ToLookup(n => NodeFactsReader.GatewayOf(n) ?? "", StringComparer.Ordinal);
        var members = byGateway[key].ToList();
        var facts = members.Select(n => NodeFactsReader.Read(n, AgentLease(n), cache.CalicoBlocks, now, LeasesCurrentSince())).ToList();
        var others = OtherGateways(key, byGateway, now);
        var switches = FeatureSwitches.FromConfigMap(cache.ConfigData(WellKnown.RavenGlobalConfig));

        StatusDecision? written = null;
        List<Endpoint> before = [];
        var electedAt = now;
        try
        {
            var stored = await _gateways.UpdateWithRetryAsync(key, null, gateway =>
            {
                var decision = GatewayStatusBuilder.Decide(gateway, facts, switches, now, others);
                if (!decision.ChangesStatusOf(gateway))
                {
                    return false;
                }

                before = gateway.Status.ActiveEndpoints ?? [];
                gateway.Status = decision.Status;
                written = decision;
                electedAt = time.GetUtcNow();
                return true;
            }, status: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            metrics.ObserveElection(stored, written is null ? null : before, members.Select(AgentLease).OfType<V1Lease>(), electedAt, time.GetUtcNow());
            if (written is not null)
            {
                Record(stored, written);
            }
        }
        catch (Exception e) when (e.IsNotFound())
        {
            return null; // deleted meanwhile
        }

        return UntilNextLeaseVerdict(members, now);
    }

    /// <summary>Every other Gateway's members and VPN driver, for the address-overlap and mixed-driver checks (leases do not matter there).</summary>
    private List<GatewayMembers> OtherGateways(string key, ILookup<string, V1Node> byGateway, DateTimeOffset now) =>
    [
        .. cache.Gateways.Store.List().Where(g => g.Name != key).Select(g => new GatewayMembers(g.Name,
            [.. byGateway[g.Name].Select(n => NodeFactsReader.Read(n, null, cache.CalicoBlocks, now, null))])
        {
            VpnDriver = MixedDrivers.Of(g.Status?.ActiveEndpoints),
        }),
    ];

    /// <summary>
    /// Since when cached agent leases can be trusted: the API server answers and the lease cache has been current
    /// (relisted after any outage) — the later of the two; null while either is not the case.
    /// </summary>
    private DateTimeOffset? LeasesCurrentSince() =>
        client.Connectivity.ReachableSince is { } reachable && cache.Leases.FreshSince is { } fresh ? (reachable > fresh ? reachable : fresh) : null;

    private V1Lease? AgentLease(V1Node node) => cache.Leases.Store.Get(WellKnown.WorkingNamespace, NodeFactsReader.AgentLeasePrefix + node.Metadata.Name);

    /// <summary>
    /// Re-elect the moment a member's agent lease runs out, or the wait after reconnecting ends for one that already
    /// has, not at the next resync.
    /// </summary>
    private TimeSpan? UntilNextLeaseVerdict(List<V1Node> members, DateTimeOffset now)
    {
        var reachableSince = LeasesCurrentSince();
        var next = members.Select(AgentLease).OfType<V1Lease>()
            .Select(l => AgentLeaseVerdict.NextChange(NodeFactsReader.LeaseExpiry(l), NodeFactsReader.LeaseDuration(l), reachableSince, now))
            .OfType<DateTimeOffset>().DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        return next == DateTimeOffset.MaxValue ? null : next - now + TimeSpan.FromMilliseconds(50);
    }

    private void Record(Gateway gateway, StatusDecision decision)
    {
        foreach (var problem in decision.Problems)
        {
            logger.LogWarning("gateway {Gateway}: {Problem}", gateway.Name, problem);
        }

        var reference = EventRecorder.Reference(WellKnown.ApiVersionV1Beta1, WellKnown.GatewayKind, gateway.Metadata);
        foreach (var e in decision.Events)
        {
            logger.Log(e.Warning ? LogLevel.Warning : LogLevel.Information, "gateway {Gateway}: {Reason} {Message}", gateway.Name, e.Reason, e.Message);
            events.Post(reference, e.Warning ? EventRecorder.TypeWarning : EventRecorder.TypeNormal, e.Reason, e.Message);
        }
    }
}
