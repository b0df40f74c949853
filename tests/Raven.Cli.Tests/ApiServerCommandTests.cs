using System.Diagnostics;

namespace Raven.Cli.Tests;

/// <summary>`raven apiserver` as an operator runs it: one kubeconfig per listener, each announced.</summary>
public sealed class ApiServerCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rvt-cli-apiserver-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task It_writes_and_announces_a_kubeconfig_for_tcp_and_for_the_unix_socket()
    {
        var socket = Path.Combine(_dir, "api.sock");
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "raven"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "apiserver", "--listen", "127.0.0.1:0", "--unix-socket", socket, "--data-dir", _dir }) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var lines = new List<string>();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                lines.Add(line);
                if (line.StartsWith("export KUBECONFIG=", StringComparison.Ordinal)) break;
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        var tcp = Path.Combine(_dir, "kubeconfig");
        var unix = Path.Combine(_dir, "kubeconfig-unix");
        lines.Should().HaveCount(3);
        lines[0].Should().MatchRegex(@"^serving on http://127\.0\.0\.1:\d+/ \(kubeconfig " + System.Text.RegularExpressions.Regex.Escape(tcp) + @"\)$");
        lines[1].Should().Be($"serving on unix://{socket} (kubeconfig {unix}, for Raven's own commands: kubectl cannot use unix:// servers)");
        lines[2].Should().Be($"export KUBECONFIG={tcp}");
        File.ReadAllText(tcp).Should().Contain("server: \"http://127.0.0.1:");
        File.ReadAllText(unix).Should().Contain($"server: \"unix://{socket}\"");
    }
}
