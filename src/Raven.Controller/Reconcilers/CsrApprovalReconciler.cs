using System.Text;
using Microsoft.Extensions.Logging;
using Raven.Api.Json;
using Raven.Controller.Certificates;
using Raven.Controller.Runtime;
using Raven.Kube.Client;
using Raven.Kube.Models;

namespace Raven.Controller.Reconcilers;

/// <summary>Approves the three Raven proxy certificate kinds; never touches other requests.</summary>
public sealed class CsrApprovalReconciler(ClusterCache cache, KubeClient client, TimeProvider time, ILogger logger) : IReconciler
{
    public string Name => "csr-approver";

    public async Task<TimeSpan?> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var csr = cache.Csrs.Store.Get(null, key);
        if (csr is null || csr.HasCondition(CertificateSigningRequest.ConditionApproved) || csr.HasCondition(CertificateSigningRequest.ConditionDenied))
        {
            return null;
        }

        var verdict = ProxyCsrPolicy.Decide(new CsrFacts(csr.Spec.SignerName, csr.Spec.Usages ?? [], csr.Spec.Username ?? "",
            csr.Spec.Groups ?? [], Encoding.ASCII.GetString(csr.Spec.Request)));
        if (!verdict.Approve)
        {
            logger.LogDebug("CSR {Name} left alone: {Reason}", key, verdict.Reason);
            return null;
        }

        var now = time.GetUtcNow();
        csr.Status ??= new CertificateSigningRequestStatus();
        csr.Status.Conditions ??= [];
        csr.Status.Conditions.Add(new CertificateSigningRequestCondition
        {
            Type = CertificateSigningRequest.ConditionApproved, Status = "True", Reason = "RavenProxyAutoApproved",
            Message = verdict.Reason, LastUpdateTime = now, LastTransitionTime = now,
        });
        var path = KubeResources.CertificateSigningRequest.ObjectPath(key, null, "approval");
        try
        {
            await client.SendAsync(HttpMethod.Put, path, new StringContent(RavenJson.Serialize(csr), Encoding.UTF8, "application/json"), cancellationToken)
                .ConfigureAwait(false);
            logger.LogInformation("approved CSR {Name}: {Reason}", key, verdict.Reason);
        }
        catch (KubeConflictException)
        {
            return TimeSpan.Zero; // changed meanwhile: look again with the fresh copy
        }

        return null;
    }
}
