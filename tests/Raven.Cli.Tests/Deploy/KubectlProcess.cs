using System.Diagnostics;

namespace Raven.Cli.Tests.Deploy;

/// <summary>The real kubectl (with its built-in kustomize), with a private HOME so no user config leaks in.</summary>
internal static class KubectlProcess
{
    public const string Binary = "/usr/bin/kubectl";

    public static async Task<(int Code, string Out, string Err)> RunAsync(IReadOnlyList<string> args, string? kubeconfig = null, string? stdin = null)
    {
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var home = Directory.CreateTempSubdirectory("rvt-kubectl-home-").FullName;
        info.Environment["HOME"] = home;
        info.Environment["KUBECONFIG"] = kubeconfig ?? Path.Combine(home, "none");
        try
        {
            using var process = Process.Start(info)!;
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
                process.StandardInput.Close();
            }

            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in 90 s");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
