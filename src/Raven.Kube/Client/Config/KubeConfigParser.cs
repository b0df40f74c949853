using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Raven.Kube.Client.Config;

/// <summary>Reads kubeconfig YAML; file paths inside are made absolute relative to the file (as kubectl does).</summary>
public static class KubeConfigParser
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();

    public static KubeConfigFile Parse(string yaml, string source, string? baseDirectory = null)
    {
        KubeConfigFile? file;
        try
        {
            file = Yaml.Deserialize<KubeConfigFile>(yaml);
        }
        catch (YamlException e)
        {
            throw new KubeConfigException($"{source}: not a valid kubeconfig at line {e.Start.Line}, column {e.Start.Column}: {Inner(e).Message}", e);
        }

        file ??= new KubeConfigFile();
        if (baseDirectory is not null)
        {
            MakePathsAbsolute(file, baseDirectory);
        }

        return file;
    }

    public static KubeConfigFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"kubeconfig '{path}' cannot be read: {e.Message}", e);
        }

        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>KUBECONFIG-style merge: the first file to set current-context or to define a name wins.</summary>
    public static KubeConfigFile Merge(IEnumerable<KubeConfigFile> files)
    {
        var merged = new KubeConfigFile { Clusters = [], Users = [], Contexts = [] };
        foreach (var file in files)
        {
            merged.CurrentContext ??= string.IsNullOrEmpty(file.CurrentContext) ? null : file.CurrentContext;
            AddNew(merged.Clusters, file.Clusters, c => c.Name);
            AddNew(merged.Users, file.Users, u => u.Name);
            AddNew(merged.Contexts, file.Contexts, c => c.Name);
        }

        return merged;
    }

    private static void AddNew<T>(List<T> target, List<T>? source, Func<T, string?> name)
    {
        foreach (var item in source ?? [])
        {
            if (!target.Any(t => name(t) == name(item)))
            {
                target.Add(item);
            }
        }
    }

    private static Exception Inner(Exception e) => e.InnerException is null ? e : Inner(e.InnerException);

    private static void MakePathsAbsolute(KubeConfigFile file, string baseDirectory)
    {
        foreach (var cluster in file.Clusters ?? [])
        {
            if (cluster.Cluster is { } c)
            {
                c.CertificateAuthority = Absolute(c.CertificateAuthority, baseDirectory);
            }
        }

        foreach (var user in file.Users ?? [])
        {
            if (user.User is { } u)
            {
                u.ClientCertificate = Absolute(u.ClientCertificate, baseDirectory);
                u.ClientKey = Absolute(u.ClientKey, baseDirectory);
                u.TokenFile = Absolute(u.TokenFile, baseDirectory);
            }
        }
    }

    private static string? Absolute(string? path, string baseDirectory) =>
        string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));
}
