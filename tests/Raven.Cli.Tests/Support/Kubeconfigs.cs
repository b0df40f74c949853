namespace Raven.Cli.Tests.Support;

/// <summary>Kubeconfig files for CLI tests.</summary>
public static class Kubeconfigs
{
    /// <summary>A kubeconfig for a server nobody listens on: a loopback port that refuses connections.</summary>
    public const string UnreachableServer = "http://127.0.0.1:9";

    public static string Write(string directory, string server)
    {
        var path = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(path, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {{server}}
            contexts:
            - name: test
              context:
                cluster: test
                user: test
            users:
            - name: test
              user: {}
            current-context: test
            """);
        return path;
    }
}
