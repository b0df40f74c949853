using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
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
        if (csr is null || csr.HasCondition(KubeModelExtensions.CsrApproved) || csr.HasCondition(KubeModelExtensions.CsrDenied))
        {
            return null;
        }

        var verdict = ProxyCsrPolicy.Decide(new CsrFacts(csr.Spec.SignerName, [.. csr.Spec.Usages ?? []], csr.Spec.Username ?? "",
            [.. csr.Spec.Groups ?? []], Encoding.ASCII.GetString(csr.Spec.Request ?? [])));
        if (!verdict.Approve)
        {
            logger.LogDebug("CSR {Name} left alone: {Reason}", key, verdict.Reason);
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        // A copy: the cached object stays as the server last sent it.
        var approval = KubernetesJson.Deserialize<V1CertificateSigningRequest>(KubernetesJson.Serialize(csr));
        approval.Status ??= new V1CertificateSigningRequestStatus();
        approval.Status.Conditions ??= [];
        approval.Status.Conditions.Add(new V1CertificateSigningRequestCondition
        {
            Type = KubeModelExtensions.CsrApproved, Status = "True", Reason = "RavenProxyAutoApproved",
            Message = verdict.Reason, LastUpdateTime = now, LastTransitionTime = now,
        });
        try
        {
            await client.Api.CertificatesV1.ReplaceCertificateSigningRequestApprovalAsync(approval, key, cancellationToken: cancellationToken).ConfigureAwait(false);
            logger.LogInformation("approved CSR {Name}: {Reason}", key, verdict.Reason);
        }
        catch (HttpOperationException e) when (e.IsConflict())
        {
            return TimeSpan.Zero; // changed meanwhile: look again with the fresh copy
        }

        return null;
    }
}
