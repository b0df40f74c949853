using Raven.Api;

namespace Raven.Cli.Diagnose;

/// <summary>The Gateway CRD: without it nothing else exists; agents and controller read v1beta1, old manifests use v1alpha1.</summary>
internal static class CrdCheck
{
    public const string Name = "crd";

    private const string Reapply = "apply the CRD again: kubectl apply -k deploy/crds";

    public static IEnumerable<CheckResult> Run(DiagnoseContext context)
    {
        var crdName = DiagnoseSnapshotLoader.CrdName;
        if (context.Snapshot.Unreadable.TryGetValue("crd", out var refused))
        {
            return [CheckResult.Warning(Name, $"cannot read CustomResourceDefinition {crdName}: {refused}", "run with credentials that may get customresourcedefinitions")];
        }

        if (context.Snapshot.Crd is not { } crd)
        {
            return [CheckResult.Failed(Name, $"CustomResourceDefinition {crdName} is missing: no Gateway can exist", "install it: kubectl apply -k deploy/crds")];
        }

        var findings = new List<CheckResult>();
        var versions = crd.Spec?.Versions ?? [];
        var served = versions.Where(v => v.Served).Select(v => v.Name).ToList();
        var storage = versions.FirstOrDefault(v => v.Storage)?.Name;
        if (!served.Contains(WellKnown.V1Beta1))
        {
            findings.Add(CheckResult.Failed(Name, $"{crdName} does not serve {WellKnown.V1Beta1}: the agents and the controller read Gateways as {WellKnown.V1Beta1}", Reapply));
        }

        if (!served.Contains(WellKnown.V1Alpha1))
        {
            findings.Add(CheckResult.Warning(Name, $"{crdName} does not serve {WellKnown.V1Alpha1}: manifests and tools written for {WellKnown.V1Alpha1} are refused", Reapply));
        }

        if (storage != WellKnown.V1Beta1)
        {
            findings.Add(CheckResult.Warning(Name, $"{crdName} stores {storage ?? "no version"}, not {WellKnown.V1Beta1}: fields only {WellKnown.V1Beta1} has depend on conversion to survive", Reapply));
        }

        if (crd.Status?.Conditions?.FirstOrDefault(c => c.Type == "Established") is { Status: not "True" } established)
        {
            findings.Add(CheckResult.Failed(Name, $"{crdName} is not Established: {established.Reason} {established.Message}".TrimEnd(),
                "kubectl describe crd " + crdName + " and fix what its conditions name"));
        }

        return findings.OrPass(Name, $"{crdName} serves {string.Join(", ", served)}; {storage} stores");
    }
}
