using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Raven.Api;

namespace Raven.Cli.Diagnose;

/// <summary>
/// The admission webhooks for raven.openyurt.io (and the CRD's conversion webhook) are only as good as the CA bundle
/// the API server verifies them with: with failurePolicy Fail an expired or missing bundle refuses every Gateway write.
/// </summary>
internal static class WebhookCheck
{
    public const string Name = "webhooks";

    /// <summary>Certificate rotation needs this much lead time; less warns.</summary>
    public const int WarnDays = 30;

    private const string Install = "kubectl apply -k deploy/webhooks with CA_BUNDLE replaced (docs/admission-webhooks.md)";
    private const string Renew = "renew the webhook's serving CA and put its ca.crt (base64) in caBundle (docs/admission-webhooks.md)";

    public static IEnumerable<CheckResult> Run(DiagnoseContext context)
    {
        if (context.Snapshot.Unreadable.TryGetValue(Name, out var refused))
        {
            return [CheckResult.Warning(Name, $"cannot read webhook configurations: {refused}", "run with credentials that may list admissionregistration.k8s.io webhook configurations")];
        }

        var findings = new List<CheckResult>();
        var bundles = new List<(string Subject, byte[]? CaBundle)>();
        if (context.Snapshot.Webhooks is { } webhooks)
        {
            var raven = webhooks.Where(w => w.Groups.Contains(WellKnown.Group)).ToList();
            foreach (var kind in new[] { "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration" }.Where(k => raven.All(w => w.Kind != k)))
            {
                findings.Add(CheckResult.Warning(Name, $"no {kind} for {WellKnown.Group}: Gateways are written without " +
                    (kind.StartsWith("Validating", StringComparison.Ordinal) ? "validation" : "defaulting"), Install));
            }

            bundles.AddRange(raven.Select(w => ($"{w.Kind} {w.Name} webhook {w.Webhook}", w.CaBundle)));
            findings.AddRange(ServiceFindings(context, raven));
        }

        if (context.Snapshot.Crd?.Spec?.Conversion is { Strategy: "Webhook" } conversion)
        {
            bundles.Add(($"CustomResourceDefinition {DiagnoseSnapshotLoader.CrdName} conversion webhook", conversion.Webhook?.ClientConfig?.CaBundle is { Length: > 0 } ca ? ca : null));
        }

        var soonest = int.MaxValue;
        foreach (var (subject, bundle) in bundles)
        {
            var (finding, days) = Judge(subject, bundle, context.Now);
            if (finding is not null)
            {
                findings.Add(finding);
            }

            soonest = Math.Min(soonest, days);
        }

        if (context.Snapshot.Webhooks is null && bundles.Count == 0)
        {
            return [CheckResult.Passed(Name, "the API server serves no admissionregistration.k8s.io: it admits Gateways itself (embedded server)")];
        }

        findings.AddRange(DryRunFindings(context.Snapshot.WebhookDryRuns));
        var served = context.Snapshot.WebhookServiceEndpoints.Where(s => s.Value > 0).Select(s => $"{s.Key} has {s.Value} ready endpoint(s)").Order(StringComparer.Ordinal).ToList();
        return findings.OrPass(Name, $"{bundles.Count} webhook(s); every caBundle certificate is valid for {soonest.ToString(CultureInfo.InvariantCulture)} more day(s)" +
                                     (served.Count > 0 ? "; Service " + string.Join(", ", served) : "") +
                                     (context.Snapshot.WebhookDryRuns.Count > 0
                                         ? $"; a dry-run Gateway create ({string.Join(", ", context.Snapshot.WebhookDryRuns.Select(d => d.Version))}) went through them"
                                         : ""));
    }

    /// <summary>
    /// The dry-run creates' answers. "failed calling webhook" (or a failed conversion) is the API server saying it
    /// cannot reach or trust the webhook: every real Gateway write fails the same way. A denial means the webhook
    /// answered, but refused a minimal Gateway (often another policy webhook); a 403 means these credentials may not try.
    /// </summary>
    private static IEnumerable<CheckResult> DryRunFindings(IReadOnlyList<WebhookDryRun> dryRuns)
    {
        foreach (var dryRun in dryRuns.Where(d => !d.Admitted))
        {
            var said = $"a dry-run create of a {dryRun.Version} Gateway got {dryRun.HttpStatus.ToString(CultureInfo.InvariantCulture)}: {dryRun.Message}";
            if (dryRun.Message.Contains("failed calling webhook", StringComparison.OrdinalIgnoreCase)
                || dryRun.Message.Contains("conversion webhook", StringComparison.OrdinalIgnoreCase))
            {
                yield return CheckResult.Failed(Name, $"the API server cannot call the webhook: {said}",
                    "check that raven-controller pods are Ready and serve the certificate caBundle names, and that the API server may reach them (firewall, NetworkPolicy, proxy)");
            }
            else if (dryRun.Message.Contains("denied the request", StringComparison.OrdinalIgnoreCase))
            {
                yield return CheckResult.Warning(Name, $"a webhook answered but denied a minimal Gateway: {said}",
                    "read which webhook denied it in the message; a policy engine's rule may also refuse real Gateways");
            }
            else if (dryRun.HttpStatus == 403)
            {
                yield return CheckResult.Warning(Name, $"cannot test the webhooks: {said}",
                    $"run with credentials that may create {DiagnoseSnapshotLoader.CrdName} (a dry run stores nothing)");
            }
            else
            {
                yield return CheckResult.Warning(Name, $"cannot tell whether the webhooks answer: {said}", "run the same dry run by hand: kubectl create --dry-run=server -f a-gateway.yaml");
            }
        }
    }

    /// <summary>The API server calls the webhook through its Service: without one, or without a ready endpoint, the call fails.</summary>
    private static IEnumerable<CheckResult> ServiceFindings(DiagnoseContext context, List<WebhookConfiguration> raven)
    {
        if (context.Snapshot.Unreadable.TryGetValue("webhook-services", out var refused))
        {
            yield return CheckResult.Warning(Name, $"cannot read the webhooks' Services or EndpointSlices: {refused}", "run with credentials that may get services and list endpointslices");
            yield break;
        }

        foreach (var service in raven.Where(w => w.ServiceRef is not null).Select(w => w.Service!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var callers = string.Join(", ", raven.Where(w => w.Service == service).Select(w => w.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            var ready = context.Snapshot.WebhookServiceEndpoints.TryGetValue(service, out var count) ? count : 0;
            if (ready is null)
            {
                yield return CheckResult.Failed(Name, $"Service {service} (called by {callers}) does not exist: the API server cannot reach the webhook", Install);
            }
            else if (ready == 0)
            {
                yield return CheckResult.Failed(Name, $"Service {service} (called by {callers}) has no ready endpoint: Gateway writes fail while no raven-controller serves the webhook",
                    $"check the raven-controller pods: kubectl -n {WellKnown.WorkingNamespace} get pods -l app.kubernetes.io/name=raven-controller");
            }
        }
    }

    /// <summary>A finding for the bundle (null when fine) and the days until its first certificate expires.</summary>
    private static (CheckResult? Finding, int Days) Judge(string subject, byte[]? bundle, DateTimeOffset now)
    {
        if (bundle is null)
        {
            return (CheckResult.Failed(Name, $"{subject}: no caBundle: the API server cannot verify the webhook, so Gateway writes fail", Install), 0);
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(Encoding.ASCII.GetString(bundle));
        }
        catch (CryptographicException)
        {
            certificates.Clear();
        }

        if (certificates.Count == 0)
        {
            return (CheckResult.Failed(Name, $"{subject}: caBundle holds no PEM certificate", Renew), 0);
        }

        // The bundle is as good as its first-expiring certificate: it is the one the chain may depend on.
        var first = certificates.OrderBy(c => c.NotAfter).First();
        var notAfter = new DateTimeOffset(first.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var notBefore = new DateTimeOffset(first.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var days = (int)Math.Floor((notAfter - now).TotalDays);
        var name = first.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        foreach (var certificate in certificates)
        {
            certificate.Dispose();
        }

        var shown = $"{subject}: caBundle certificate {name}";
        return notAfter <= now ? (CheckResult.Failed(Name, $"{shown} expired {Date(notAfter)} ({-days} day(s) ago): the API server refuses the webhook", Renew), days)
            : notBefore > now ? (CheckResult.Failed(Name, $"{shown} is not valid before {Date(notBefore)} (clock skew?)", Renew), days)
            : days < WarnDays ? (CheckResult.Warning(Name, $"{shown} expires {Date(notAfter)}, in {days} day(s)", Renew), days)
            : (null, days);
    }

    private static string Date(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
