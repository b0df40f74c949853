using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;

namespace Raven.Lab.Pods;

/// <summary>
/// Pod names and template hashes as the DaemonSet and Deployment controllers make them: a generated 5-character
/// suffix from the alphabet without vowels and look-alike characters (so no words, no 0/O or 1/l), and a hash of the
/// pod template that changes when the template does (a `kubectl rollout restart` changes an annotation).
/// </summary>
public static class PodNames
{
    /// <summary>Kubernetes' rand.String alphabet.</summary>
    public const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>The label a DaemonSet's pods carry their template revision in.</summary>
    public const string DaemonSetHashLabel = "controller-revision-hash";

    /// <summary>The label a Deployment's pods carry their template hash in (also part of their names).</summary>
    public const string DeploymentHashLabel = "pod-template-hash";

    public static string Suffix(int length = 5)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary>`raven-agent-ds-x7k2p`: the generateName form <c>&lt;daemonset&gt;-</c> plus a suffix.</summary>
    public static string ForDaemonSet(string daemonSet) => $"{daemonSet}-{Suffix()}";

    /// <summary>`raven-controller-5d9c7b8f4-x7k2p`: deployment, template hash, suffix.</summary>
    public static string ForDeployment(string deployment, string templateHash) => $"{deployment}-{templateHash}-{Suffix()}";

    /// <summary>
    /// FNV-1a (32 bit) of the template's JSON, each decimal digit of the number mapped into <see cref="Alphabet"/>
    /// as Kubernetes' SafeEncodeString does, so a hash is a valid label value and name part.
    /// </summary>
    public static string TemplateHash(V1PodTemplateSpec template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var json = KubernetesJson.Serialize(template);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(json))
        {
            hash = (hash ^ b) * 16777619u;
        }

        var digits = hash.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Concat(digits.Select(d => Alphabet[d % Alphabet.Length]));
    }
}
