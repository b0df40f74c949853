using System.Diagnostics;
using Raven.Agent.Linux.Processes;

namespace Raven.ApiServer.Tests;

/// <summary>Runs the real kubectl against a test server with its own HOME and KUBECONFIG.</summary>
internal sealed class Kubectl
{
    private const string Binary = "/usr/bin/kubectl";
    private readonly string _dir;

    public Kubectl(TestApiServer server)
    {
        _dir = server.Dir;
        Kubeconfig = Path.Combine(_dir, "kubeconfig");
        server.Server.WriteKubeconfig(Kubeconfig);
    }

    public string Kubeconfig { get; }

    public static bool Available => File.Exists(Binary);

    public async Task<(int Code, string Out, string Err)> RunAsync(string[] args, string? stdin = null,
        IDictionary<string, string>? env = null)
    {
        var environment = new Dictionary<string, string>(Environment(), StringComparer.Ordinal);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) environment[k] = v;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var result = await new ProcessCommandRunner().RunAsync(new CommandLine(Binary, args, stdin) { Environment = environment }, cts.Token);
            return (result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in 60s");
        }
    }

    /// <summary>Runs kubectl and fails the test unless it exits 0; returns stdout.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);
        code.Should().Be(0, $"kubectl {string.Join(' ', args)} should succeed; stderr: {error}");
        return output;
    }

    /// <summary>Starts a long-running kubectl (e.g. get -w); the caller stops it by PID.</summary>
    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (k, v) in Environment()) info.Environment[k] = v;
        return Process.Start(info)!;
    }

    /// <summary>Its own HOME (kubectl's cache) and KUBECONFIG, so nothing of the machine's kubectl setup leaks in.</summary>
    private Dictionary<string, string> Environment() => new(StringComparer.Ordinal) { ["HOME"] = _dir, ["KUBECONFIG"] = Kubeconfig };
}
