using System.Text;
using k8s.Models;

namespace Raven.Lab.Pods;

/// <summary>A container's environment and argv could not be resolved; kubelet reports CreateContainerConfigError.</summary>
public sealed class ContainerConfigException(string message) : Exception(message);

/// <summary>
/// Resolves a container's environment as kubelet does (pure): envFrom first (ConfigMaps and Secrets, with their
/// prefix; keys that are not valid variable names skipped), then env in order, later names overriding earlier ones;
/// a value expands <c>$(NAME)</c> from the variables defined before it (<c>$$</c> is a literal <c>$</c>, unknown
/// names stay as written); fieldRef gives metadata.name/namespace/uid, spec.nodeName, spec.serviceAccountName,
/// status.hostIP/podIP and metadata labels/annotations; a missing ConfigMap, Secret or key fails unless optional.
/// The service variables (KUBERNETES_SERVICE_HOST, ...) come first, so env can use and override them.
/// </summary>
public static class ContainerEnvironment
{
    public static IReadOnlyList<KeyValuePair<string, string>> Resolve(
        V1Pod pod, V1Container container, string hostIp, string podIp, PodObjects objects, IReadOnlyList<KeyValuePair<string, string>> serviceVariables)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(serviceVariables);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        void Set(string name, string value)
        {
            if (!values.ContainsKey(name))
            {
                order.Add(name);
            }

            values[name] = value;
        }

        foreach (var (name, value) in serviceVariables)
        {
            Set(name, value);
        }

        foreach (var source in container.EnvFrom ?? [])
        {
            var prefix = source.Prefix ?? "";
            var data = source.ConfigMapRef is { } cm
                ? Lookup(objects.ConfigMaps, cm.Name, cm.Optional == true, "configmap")
                : source.SecretRef is { } s ? Lookup(objects.Secrets, s.Name, s.Optional == true, "secret") : null;
            foreach (var (key, value) in data ?? new Dictionary<string, string>())
            {
                if (IsVariableName(prefix + key))
                {
                    Set(prefix + key, value);
                }
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            string? value = variable.ValueFrom is { } from ? ValueFrom(pod, from, hostIp, podIp, objects, variable.Name) : Expand(variable.Value ?? "", values);
            if (value is not null)
            {
                Set(variable.Name, value);
            }
        }

        return order.Select(n => new KeyValuePair<string, string>(n, values[n])).ToList();
    }

    /// <summary>command + args with <c>$(NAME)</c> expanded from the resolved environment, as kubelet does.</summary>
    public static IReadOnlyList<string> ExpandAll(IEnumerable<string>? words, IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        var map = environment.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return (words ?? []).Select(w => Expand(w, map)).ToList();
    }

    /// <summary>Kubernetes' expansion: $(NAME) from <paramref name="variables"/>, $$ → $, anything else literal.</summary>
    public static string Expand(string input, IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(variables);
        var output = new StringBuilder(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] != '$' || i + 1 >= input.Length)
            {
                output.Append(input[i]);
                continue;
            }

            var next = input[i + 1];
            if (next == '$')
            {
                output.Append('$');
                i++;
            }
            else if (next == '(' && input.IndexOf(')', i + 2) is var close and > 0)
            {
                var name = input[(i + 2)..close];
                output.Append(variables.TryGetValue(name, out var value) ? value : input[i..(close + 1)]);
                i = close;
            }
            else
            {
                output.Append('$');
            }
        }

        return output.ToString();
    }

    public static bool IsVariableName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    private static string? ValueFrom(V1Pod pod, V1EnvVarSource from, string hostIp, string podIp, PodObjects objects, string variable)
    {
        if (from.FieldRef is { } field)
        {
            return Field(pod, field.FieldPath, hostIp, podIp) ?? throw new ContainerConfigException($"env {variable}: unsupported fieldRef {field.FieldPath}");
        }

        if (from.ConfigMapKeyRef is { } cm)
        {
            return Key(Lookup(objects.ConfigMaps, cm.Name, cm.Optional == true, "configmap"), cm.Key, cm.Name, cm.Optional == true, "configmap", variable);
        }

        if (from.SecretKeyRef is { } secret)
        {
            return Key(Lookup(objects.Secrets, secret.Name, secret.Optional == true, "secret"), secret.Key, secret.Name, secret.Optional == true, "secret", variable);
        }

        throw new ContainerConfigException($"env {variable}: resourceFieldRef is not supported by the lab's kubelet");
    }

    private static string? Field(V1Pod pod, string path, string hostIp, string podIp)
    {
        const string labels = "metadata.labels['";
        const string annotations = "metadata.annotations['";
        if (path.StartsWith(labels, StringComparison.Ordinal) && path.EndsWith("']", StringComparison.Ordinal))
        {
            return (pod.Metadata.Labels is { } l && l.TryGetValue(path[labels.Length..^2], out var lv) ? lv : "");
        }

        if (path.StartsWith(annotations, StringComparison.Ordinal) && path.EndsWith("']", StringComparison.Ordinal))
        {
            return (pod.Metadata.Annotations is { } a && a.TryGetValue(path[annotations.Length..^2], out var av) ? av : "");
        }

        return path switch
        {
            "metadata.name" => pod.Metadata.Name,
            "metadata.namespace" => pod.Metadata.NamespaceProperty ?? "default",
            "metadata.uid" => pod.Metadata.Uid ?? "",
            "spec.nodeName" => pod.Spec.NodeName ?? "",
            "spec.serviceAccountName" => pod.Spec.ServiceAccountName ?? "default",
            "status.hostIP" => hostIp,
            "status.podIP" => podIp,
            "status.hostIPs" => hostIp,
            "status.podIPs" => podIp,
            _ => null,
        };
    }

    private static IReadOnlyDictionary<string, string>? Lookup(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> source, string? name, bool optional, string kind)
    {
        if (name is not null && source.TryGetValue(name, out var data))
        {
            return data;
        }

        return optional ? null : throw new ContainerConfigException($"{kind} \"{name}\" not found");
    }

    private static string? Key(IReadOnlyDictionary<string, string>? data, string key, string? name, bool optional, string kind, string variable)
    {
        if (data is null)
        {
            return null; // optional and missing
        }

        if (data.TryGetValue(key, out var value))
        {
            return value;
        }

        return optional ? null : throw new ContainerConfigException($"env {variable}: couldn't find key {key} in {kind} {name}");
    }
}
