namespace Raven.Cli.Tests.Support;

/// <summary>
/// A kubeconfig exec credential plugin as EKS, GKE and AKS kubeconfigs use them (aws eks get-token,
/// gke-gcloud-auth-plugin, kubelogin), played by a shell script: it prints an ExecCredential with the given token,
/// suffixed by its run count unless told otherwise, and counts its runs in a file.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ExecCredentialPlugin
{
    private readonly string _counter;

    private ExecCredentialPlugin(string script, string counter)
    {
        Script = script;
        _counter = counter;
    }

    public string Script { get; }

    /// <summary>How often the plugin ran so far.</summary>
    public int Runs => File.Exists(_counter) ? int.Parse(File.ReadAllText(_counter).Trim(), System.Globalization.CultureInfo.InvariantCulture) : 0;

    /// <param name="token">The bearer token to print.</param>
    /// <param name="numbered">Append the run count to the token (exec-token-1, exec-token-2, ...).</param>
    /// <param name="expired">Mark the credential as already expired, so the client runs the plugin again for each request.</param>
    public static ExecCredentialPlugin Write(string directory, string token, bool numbered = false, bool expired = false)
    {
        var counter = Path.Combine(directory, "plugin-runs");
        var expiry = expired ? "2000-01-01T00:00:00Z" : "2999-01-01T00:00:00Z";
        var script = Path.Combine(directory, "credential-plugin.sh");
        File.WriteAllText(script, $$$"""
            #!/bin/sh
            n=$(( $(cat '{{{counter}}}' 2>/dev/null || echo 0) + 1 ))
            echo "$n" > '{{{counter}}}'
            printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"{{{token}}}{{{(numbered ? "%s" : "")}}}","expirationTimestamp":"{{{expiry}}}"}}\n' "$n"
            """ + "\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new ExecCredentialPlugin(script, counter);
    }

    /// <summary>A kubeconfig for <paramref name="server"/> (trusting <paramref name="caPem"/>) whose user is this plugin.</summary>
    public string Kubeconfig(string directory, string server, string caPem)
    {
        var path = Path.Combine(directory, "kubeconfig-exec");
        var ca = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(caPem));
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {server}
                certificate-authority-data: {ca}
            contexts:
            - name: test
              context:
                cluster: test
                user: plugin
            users:
            - name: plugin
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1beta1
                  command: {Script}
                  args: ["--cluster", "test"]
                  interactiveMode: Never
            current-context: test
            """);
        return path;
    }
}
