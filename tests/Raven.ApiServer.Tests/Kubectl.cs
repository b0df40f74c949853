using System.Diagnostics;

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
        using var process = Process.Start(Info(args, env, stdin is not null))!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in 60s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs kubectl and fails the test unless it exits 0; returns stdout.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync(args);
        code.Should().Be(0, $"kubectl {string.Join(' ', args)} should succeed; stderr: {error}");
        return output;
    }

    /// <summary>Starts a long-running kubectl (e.g. get -w); the caller stops it by PID.</summary>
    public Process Start(params string[] args) => Process.Start(Info(args, null, false))!;

    private ProcessStartInfo Info(string[] args, IDictionary<string, string>? env, bool redirectStdin)
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["HOME"] = _dir;
        info.Environment["KUBECONFIG"] = Kubeconfig;
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        return info;
    }
}
