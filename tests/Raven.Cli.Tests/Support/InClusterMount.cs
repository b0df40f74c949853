namespace Raven.Cli.Tests.Support;

/// <summary>
/// What a pod gets, for a process that is not in one: the service-account files (token, ca.crt, namespace) at the
/// fixed path the official client reads, /var/run/secrets/kubernetes.io/serviceaccount, and the kubernetes service
/// variables. The files live in a private directory that a private mount namespace binds over /run for the process
/// alone (/var/run is /run); nothing on the host changes. Root only. The token can be rotated while the process runs,
/// the way kubelet does it: a new file renamed over the old one.
/// </summary>
public sealed class InClusterMount
{
    private readonly string _run;

    private InClusterMount(string run) => _run = run;

    public string AccountDirectory => Path.Combine(_run, "secrets", "kubernetes.io", "serviceaccount");

    public static InClusterMount Create(string directory, string token, string caPem, string ns = "kube-system")
    {
        var mount = new InClusterMount(Path.Combine(directory, "run"));
        Directory.CreateDirectory(mount.AccountDirectory);
        File.WriteAllText(Path.Combine(mount.AccountDirectory, "ca.crt"), caPem);
        File.WriteAllText(Path.Combine(mount.AccountDirectory, "namespace"), ns);
        mount.RotateToken(token);
        return mount;
    }

    /// <summary>Writes a new token atomically (rename over the old file).</summary>
    public void RotateToken(string token)
    {
        var next = Path.Combine(AccountDirectory, ".token.next");
        File.WriteAllText(next, token);
        File.Move(next, Path.Combine(AccountDirectory, "token"), overwrite: true);
    }

    /// <summary>Runs the command in a private mount namespace with the directory bound over /run.</summary>
    public IReadOnlyList<string> Wrapper() =>
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", "mount --bind \"$0\" /run && exec \"$@\"", _run];

    /// <summary>The variables a pod gets for the API server at <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static IReadOnlyDictionary<string, string> Environment(string host, int port) => new Dictionary<string, string>
    {
        ["KUBERNETES_SERVICE_HOST"] = host,
        ["KUBERNETES_SERVICE_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
