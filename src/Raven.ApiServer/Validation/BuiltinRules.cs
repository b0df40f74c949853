using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;
using static Raven.ApiServer.Validation.MetadataRules;

namespace Raven.ApiServer.Validation;

/// <summary>
/// The checks kube-apiserver's registries run on the built-in kinds after decoding (required fields, ranges, formats,
/// names), with the real messages and field paths. Only what Raven's kinds and their usual clients touch is covered.
/// </summary>
internal static class BuiltinRules
{
    /// <summary>A ConfigMap's or Secret's data together, as the real server limits them.</summary>
    public const int MaxDataBytes = 1024 * 1024;

    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];
    private static readonly string[] ServiceTypes = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
    private static readonly string[] TaintEffects = ["NoExecute", "NoSchedule", "PreferNoSchedule"];
    private static readonly string[] AddressTypes = ["FQDN", "IPv4", "IPv6"];
    private static readonly string[] KeyUsages =
    [
        "any", "cert sign", "client auth", "code signing", "content commitment", "crl sign", "data encipherment", "decipher only",
        "digital signature", "email protection", "encipher only", "ipsec end system", "ipsec tunnel", "ipsec user", "key agreement",
        "key encipherment", "microsoft sgc", "netscape sgc", "ocsp signing", "s/mime", "server auth", "signing", "timestamping",
    ];

    public static IReadOnlyList<FieldError> Check(object typed)
    {
        var errors = new List<FieldError>();
        switch (typed)
        {
            case V1Namespace ns: errors.AddRange(MetadataRules.Check(ns.Metadata, NameKind.Label)); break;
            case V1Node node: errors.AddRange(MetadataRules.Check(node.Metadata, NameKind.Subdomain)); errors.AddRange(Node(node)); break;
            case V1ConfigMap cm: errors.AddRange(MetadataRules.Check(cm.Metadata, NameKind.Subdomain)); errors.AddRange(ConfigMap(cm)); break;
            case V1Secret secret: errors.AddRange(MetadataRules.Check(secret.Metadata, NameKind.Subdomain)); errors.AddRange(Secret(secret)); break;
            case V1Service svc: errors.AddRange(MetadataRules.Check(svc.Metadata, NameKind.Dns1035Label)); errors.AddRange(Service(svc)); break;
            case V1Endpoints ep: errors.AddRange(MetadataRules.Check(ep.Metadata, NameKind.Subdomain)); errors.AddRange(Endpoints(ep)); break;
            case V1Pod pod: errors.AddRange(MetadataRules.Check(pod.Metadata, NameKind.Subdomain)); errors.AddRange(Pod(pod)); break;
            case V1Lease lease: errors.AddRange(MetadataRules.Check(lease.Metadata, NameKind.Subdomain)); errors.AddRange(Lease(lease)); break;
            case V1EndpointSlice slice: errors.AddRange(MetadataRules.Check(slice.Metadata, NameKind.Subdomain)); errors.AddRange(EndpointSlice(slice)); break;
            case V1CertificateSigningRequest csr: errors.AddRange(MetadataRules.Check(csr.Metadata, NameKind.Subdomain)); errors.AddRange(Csr(csr)); break;
            case Corev1Event ev: errors.AddRange(MetadataRules.Check(ev.Metadata, NameKind.Subdomain)); break;
            case V1Deployment d:
                errors.AddRange(MetadataRules.Check(d.Metadata, NameKind.Subdomain));
                errors.AddRange(Workload(d.Spec?.Selector, d.Spec?.Template, d.Spec?.Replicas));
                break;
            case V1DaemonSet ds:
                errors.AddRange(MetadataRules.Check(ds.Metadata, NameKind.Subdomain));
                errors.AddRange(Workload(ds.Spec?.Selector, ds.Spec?.Template, null));
                break;
            case V1ServiceAccount sa: errors.AddRange(MetadataRules.Check(sa.Metadata, NameKind.Subdomain)); break;
            case V1Role role: errors.AddRange(MetadataRules.Check(role.Metadata, NameKind.PathSegment)); errors.AddRange(PolicyRules(role.Rules, namespaced: true)); break;
            case V1ClusterRole role: errors.AddRange(MetadataRules.Check(role.Metadata, NameKind.PathSegment)); errors.AddRange(PolicyRules(role.Rules, namespaced: false)); break;
            case V1RoleBinding rb:
                errors.AddRange(MetadataRules.Check(rb.Metadata, NameKind.PathSegment));
                errors.AddRange(Binding(rb.RoleRef, rb.Subjects, ["ClusterRole", "Role"], namespaced: true));
                break;
            case V1ClusterRoleBinding crb:
                errors.AddRange(MetadataRules.Check(crb.Metadata, NameKind.PathSegment));
                errors.AddRange(Binding(crb.RoleRef, crb.Subjects, ["ClusterRole"], namespaced: false));
                break;
            case IMetadata<V1ObjectMeta> other: errors.AddRange(MetadataRules.Check(other.Metadata, NameKind.Subdomain)); break;
        }

        return errors;
    }

    /// <summary>apps/v1 Deployments and DaemonSets: a selector that selects the template's labels, containers, replicas ≥ 0.</summary>
    private static IEnumerable<FieldError> Workload(V1LabelSelector? selector, V1PodTemplateSpec? template, int? replicas)
    {
        if (replicas is < 0) yield return Invalid("spec.replicas", replicas.Value, "must be greater than or equal to 0");
        if (selector is null || ((selector.MatchLabels?.Count ?? 0) == 0 && (selector.MatchExpressions?.Count ?? 0) == 0))
        {
            yield return Required("spec.selector");
            if (selector is not null) yield return Invalid("spec.selector", "{}", "empty selector is invalid for deployment");
        }
        else
        {
            foreach (var error in Labels(selector.MatchLabels, "spec.selector.matchLabels")) yield return error;
            var labels = template?.Metadata?.Labels ?? new Dictionary<string, string>();
            var matches = (selector.MatchLabels ?? new Dictionary<string, string>()).All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
            if (!matches)
            {
                var shown = "map[string]string{" + string.Join(", ", labels.Select(kv => $"{Quote(kv.Key)}:{Quote(kv.Value)}")) + "}";
                yield return new FieldError("spec.template.metadata.labels", $"Invalid value: {shown}: `selector` does not match template `labels`");
            }
        }

        var containers = template?.Spec?.Containers ?? [];
        if (containers.Count == 0) yield return Required("spec.template.spec.containers");
        for (var i = 0; i < containers.Count; i++)
        {
            if (string.IsNullOrEmpty(containers[i].Name)) yield return Required($"spec.template.spec.containers[{i}].name");
            if (string.IsNullOrWhiteSpace(containers[i].Image)) yield return Required($"spec.template.spec.containers[{i}].image");
        }
    }

    private static IEnumerable<FieldError> PolicyRules(IList<V1PolicyRule>? rules, bool namespaced)
    {
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            var rule = rules![i];
            var at = $"rules[{i}]";
            if (rule.Verbs is not { Count: > 0 }) yield return Required(at + ".verbs", "verbs must contain at least one value");
            var hasNonResource = rule.NonResourceURLs is { Count: > 0 };
            if (hasNonResource && namespaced)
            {
                yield return Invalid(at + ".nonResourceURLs", string.Join(",", rule.NonResourceURLs!), "namespaced rules cannot apply to non-resource URLs");
            }

            if (hasNonResource && (rule.ApiGroups is { Count: > 0 } || rule.Resources is { Count: > 0 } || rule.ResourceNames is { Count: > 0 }))
            {
                yield return Invalid(at + ".nonResourceURLs", string.Join(",", rule.NonResourceURLs!), "rules cannot apply to both regular resources and non-resource URLs");
            }

            if (!hasNonResource)
            {
                if (rule.ApiGroups is not { Count: > 0 }) yield return Required(at + ".apiGroups", "resource rules must supply at least one api group");
                if (rule.Resources is not { Count: > 0 }) yield return Required(at + ".resources", "resource rules must supply at least one resource");
            }
        }
    }

    private static IEnumerable<FieldError> Binding(V1RoleRef? roleRef, IList<Rbacv1Subject>? subjects, string[] kinds, bool namespaced)
    {
        if (roleRef is null)
        {
            yield return Required("roleRef");
            yield break;
        }

        if (roleRef.ApiGroup != "rbac.authorization.k8s.io") yield return NotSupported("roleRef.apiGroup", roleRef.ApiGroup ?? "", "rbac.authorization.k8s.io");
        if (!kinds.Contains(roleRef.Kind, StringComparer.Ordinal)) yield return NotSupported("roleRef.kind", roleRef.Kind ?? "", kinds);
        if (string.IsNullOrEmpty(roleRef.Name)) yield return Required("roleRef.name");
        for (var i = 0; i < (subjects?.Count ?? 0); i++)
        {
            var subject = subjects![i];
            var at = $"subjects[{i}]";
            if (string.IsNullOrEmpty(subject.Name)) yield return Required(at + ".name");
            switch (subject.Kind)
            {
                case "ServiceAccount":
                    if (!namespaced && string.IsNullOrEmpty(subject.NamespaceProperty)) yield return Required(at + ".namespace");
                    if (!string.IsNullOrEmpty(subject.ApiGroup)) yield return NotSupported(at + ".apiGroup", subject.ApiGroup, "");
                    break;
                case "User" or "Group":
                    if (subject.ApiGroup != "rbac.authorization.k8s.io") yield return NotSupported(at + ".apiGroup", subject.ApiGroup ?? "", "rbac.authorization.k8s.io");
                    break;
                default:
                    yield return NotSupported(at + ".kind", subject.Kind ?? "", "Group", "ServiceAccount", "User");
                    break;
            }
        }
    }

    private static IEnumerable<FieldError> Node(V1Node node)
    {
        var spec = node.Spec;
        if (spec is null) yield break;
        if (!string.IsNullOrEmpty(spec.PodCIDR) && NameRules.Cidr(spec.PodCIDR) is { } bad) yield return Invalid("spec.podCIDR", spec.PodCIDR, bad);
        for (var i = 0; i < (spec.PodCIDRs?.Count ?? 0); i++)
        {
            if (NameRules.Cidr(spec.PodCIDRs![i] ?? "") is { } problem) yield return Invalid($"spec.podCIDRs[{i}]", spec.PodCIDRs[i] ?? "", problem);
        }

        for (var i = 0; i < (spec.Taints?.Count ?? 0); i++)
        {
            var taint = spec.Taints![i];
            if (string.IsNullOrEmpty(taint.Key)) yield return Required($"spec.taints[{i}].key");
            else foreach (var problem in NameRules.QualifiedName(taint.Key)) yield return Invalid($"spec.taints[{i}].key", taint.Key, problem);
            if (string.IsNullOrEmpty(taint.Effect)) yield return Required($"spec.taints[{i}].effect");
            else if (!TaintEffects.Contains(taint.Effect, StringComparer.Ordinal)) yield return NotSupported($"spec.taints[{i}].effect", taint.Effect, TaintEffects);
        }
    }

    private static IEnumerable<FieldError> ConfigMap(V1ConfigMap cm)
    {
        var total = 0L;
        foreach (var (key, value) in cm.Data ?? new Dictionary<string, string>())
        {
            foreach (var problem in NameRules.ConfigMapKey(key)) yield return Invalid($"data[{key}]", key, problem);
            total += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value ?? "");
        }

        foreach (var (key, value) in cm.BinaryData ?? new Dictionary<string, byte[]>())
        {
            foreach (var problem in NameRules.ConfigMapKey(key)) yield return Invalid($"binaryData[{key}]", key, problem);
            if (cm.Data?.ContainsKey(key) == true) yield return Duplicate($"binaryData[{key}]", key);
            total += Encoding.UTF8.GetByteCount(key) + (value?.Length ?? 0);
        }

        if (total > MaxDataBytes) yield return new FieldError("[]", $"Too long: must have at most {MaxDataBytes} bytes", "FieldValueTooLong");
    }

    private static IEnumerable<FieldError> Secret(V1Secret secret)
    {
        var total = 0L;
        foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
        {
            foreach (var problem in NameRules.ConfigMapKey(key)) yield return Invalid($"data[{key}]", key, problem);
            total += value?.Length ?? 0;
        }

        foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
        {
            foreach (var problem in NameRules.ConfigMapKey(key)) yield return Invalid($"stringData[{key}]", key, problem);
            total += Encoding.UTF8.GetByteCount(value ?? "");
        }

        if (total > MaxDataBytes) yield return new FieldError("data", $"Too long: must have at most {MaxDataBytes} bytes", "FieldValueTooLong");
        if (secret.Type == "kubernetes.io/tls")
        {
            foreach (var key in new[] { "tls.crt", "tls.key" })
            {
                if (secret.Data?.ContainsKey(key) != true && secret.StringData?.ContainsKey(key) != true) yield return Required($"data[{key}]");
            }
        }
    }

    private static IEnumerable<FieldError> Service(V1Service svc)
    {
        var spec = svc.Spec;
        if (spec is null)
        {
            yield return Required("spec.ports");
            yield break;
        }

        var type = spec.Type ?? "ClusterIP";
        if (!ServiceTypes.Contains(type, StringComparer.Ordinal)) yield return NotSupported("spec.type", type, ServiceTypes);
        var ports = spec.Ports ?? [];
        var headless = spec.ClusterIP == "None";
        if (ports.Count == 0 && type != "ExternalName" && !headless) yield return Required("spec.ports");
        if (type == "ExternalName" && string.IsNullOrEmpty(spec.ExternalName)) yield return Required("spec.externalName");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var at = $"spec.ports[{i}]";
            if (ports.Count > 1 && string.IsNullOrEmpty(port.Name)) yield return Required(at + ".name");
            if (!string.IsNullOrEmpty(port.Name))
            {
                foreach (var problem in NameRules.Dns1123Label(port.Name)) yield return Invalid(at + ".name", port.Name, problem);
                if (!names.Add(port.Name)) yield return Duplicate(at + ".name", port.Name);
            }

            if (port.Port is < 1 or > 65535) yield return Invalid(at + ".port", port.Port, "must be between 1 and 65535, inclusive");
            if (port.Protocol is { } protocol && !Protocols.Contains(protocol, StringComparer.Ordinal)) yield return NotSupported(at + ".protocol", protocol, Protocols);
            if (port.NodePort is < 0 or > 65535) yield return Invalid(at + ".nodePort", port.NodePort.Value, "must be between 1 and 65535, inclusive");
            if (port.TargetPort?.Value is { } target)
            {
                if (int.TryParse(target, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number))
                {
                    if (number is < 1 or > 65535) yield return Invalid(at + ".targetPort", number, "must be between 1 and 65535, inclusive");
                }
                else if (target.Length > 15 || target.Length == 0 || !target.Any(char.IsLetter))
                {
                    yield return Invalid(at + ".targetPort", target, "must contain at least one letter (a-z)");
                }
            }
        }

        foreach (var error in Labels(spec.Selector, "spec.selector")) yield return error;
    }

    private static IEnumerable<FieldError> Endpoints(V1Endpoints ep)
    {
        for (var s = 0; s < (ep.Subsets?.Count ?? 0); s++)
        {
            var subset = ep.Subsets![s];
            foreach (var (list, field) in new[] { (subset.Addresses, "addresses"), (subset.NotReadyAddresses, "notReadyAddresses") })
            {
                for (var a = 0; a < (list?.Count ?? 0); a++)
                {
                    var ip = list![a].Ip ?? "";
                    if (NameRules.IpAddress(ip) is { } problem) yield return Invalid($"subsets[{s}].{field}[{a}].ip", ip, problem);
                }
            }

            for (var p = 0; p < (subset.Ports?.Count ?? 0); p++)
            {
                if (subset.Ports![p].Port is < 1 or > 65535) yield return Invalid($"subsets[{s}].ports[{p}].port", subset.Ports[p].Port, "must be between 1 and 65535, inclusive");
            }
        }
    }

    private static IEnumerable<FieldError> Pod(V1Pod pod)
    {
        var containers = pod.Spec?.Containers ?? [];
        if (containers.Count == 0) yield return Required("spec.containers");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var c = containers[i];
            if (string.IsNullOrEmpty(c.Name)) yield return Required($"spec.containers[{i}].name");
            else
            {
                foreach (var problem in NameRules.Dns1123Label(c.Name)) yield return Invalid($"spec.containers[{i}].name", c.Name, problem);
                if (!names.Add(c.Name)) yield return Duplicate($"spec.containers[{i}].name", c.Name);
            }

            if (string.IsNullOrWhiteSpace(c.Image)) yield return Required($"spec.containers[{i}].image");
        }
    }

    private static IEnumerable<FieldError> Lease(V1Lease lease)
    {
        if (lease.Spec?.LeaseDurationSeconds is <= 0 and var duration) yield return Invalid("spec.leaseDurationSeconds", duration, "must be greater than 0");
        if (lease.Spec?.LeaseTransitions is < 0 and var transitions) yield return Invalid("spec.leaseTransitions", transitions, "must be greater than or equal to 0");
    }

    private static IEnumerable<FieldError> EndpointSlice(V1EndpointSlice slice)
    {
        if (string.IsNullOrEmpty(slice.AddressType)) yield return Required("addressType");
        else if (!AddressTypes.Contains(slice.AddressType, StringComparer.Ordinal)) yield return NotSupported("addressType", slice.AddressType, AddressTypes);
        for (var i = 0; i < (slice.Endpoints?.Count ?? 0); i++)
        {
            var addresses = slice.Endpoints![i].Addresses ?? [];
            if (addresses.Count == 0) yield return Required($"endpoints[{i}].addresses", "must contain at least 1 address");
            for (var a = 0; a < addresses.Count && slice.AddressType is "IPv4" or "IPv6"; a++)
            {
                if (NameRules.IpAddress(addresses[a] ?? "") is { } problem) yield return Invalid($"endpoints[{i}].addresses[{a}]", addresses[a] ?? "", problem);
            }
        }
    }

    private static IEnumerable<FieldError> Csr(V1CertificateSigningRequest csr)
    {
        var spec = csr.Spec;
        if (spec is null)
        {
            yield return Required("spec.request");
            yield break;
        }

        if (spec.Request is not { Length: > 0 }) yield return Required("spec.request");
        else if (RequestProblem(spec.Request) is { } problem)
        {
            yield return new FieldError("spec.request", $"Invalid value: []byte{{...}}: {problem}");
        }

        if (string.IsNullOrEmpty(spec.SignerName)) yield return Required("spec.signerName");
        else
        {
            foreach (var p in NameRules.QualifiedName(spec.SignerName.Split('/')[0] + "/x").Where(p => p.StartsWith("prefix", StringComparison.Ordinal)))
            {
                yield return Invalid("spec.signerName", spec.SignerName, p);
            }

            if (!spec.SignerName.Contains('/', StringComparison.Ordinal)) yield return Invalid("spec.signerName", spec.SignerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'");
        }

        if (spec.ExpirationSeconds is < 600 and var seconds) yield return Invalid("spec.expirationSeconds", seconds, "may not specify a duration less than 600 seconds (10 minutes)");
        if (spec.Usages is not { Count: > 0 }) yield return Required("spec.usages");
        for (var i = 0; i < (spec.Usages?.Count ?? 0); i++)
        {
            if (!KeyUsages.Contains(spec.Usages![i], StringComparer.Ordinal)) yield return NotSupported($"spec.usages[{i}]", spec.Usages[i] ?? "", KeyUsages);
        }
    }

    /// <summary>Why <paramref name="request"/> is not a PEM CERTIFICATE REQUEST with a valid signature, or null.</summary>
    private static string? RequestProblem(byte[] request)
    {
        var text = Encoding.ASCII.GetString(request);
        if (!text.Contains("-----BEGIN", StringComparison.Ordinal)) return "PEM block type must be CERTIFICATE REQUEST";
        if (!text.Contains("-----BEGIN CERTIFICATE REQUEST-----", StringComparison.Ordinal)) return "PEM block type must be CERTIFICATE REQUEST";
        try
        {
            _ = CertificateRequest.LoadSigningRequestPem(text, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
            return null;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return "x509: malformed certificate request: " + e.Message;
        }
    }
}
