using System.Diagnostics;
using Raven.TestSupport;

namespace Raven.ApiServer.Tests;

/// <summary>
/// The official Python (Debian's python3-kubernetes) and JavaScript (@kubernetes/client-node 1.4) clients against the
/// server: CRUD, a watch with bookmarks, an informer, a status patch, 409 and 422. scripts/setup.sh installs both.
/// </summary>
public class ClientLibraryTests
{
    private const string Python = "/usr/bin/python3";

    private static readonly string Clients = Path.Combine(RepositoryRoot.Path, "tests", "Raven.ApiServer.Tests", "clients");

    private static readonly string[] Expected =
    [
        "crud created=cm1 replaced=v2 listed=1 after-delete=0",
        "watch ADDED:watched,BOOKMARK",
        "status ready=True",
        "conflict 409 AlreadyExists",
        "invalid 422 Invalid",
        "done",
    ];

    [Fact]
    public async Task Python_kubernetes_client_works_against_the_server()
    {
        File.Exists(Python).Should().BeTrue("python3 is part of the machine");
        var probe = await RunAsync(Python, ["-c", "import kubernetes"], Clients, TimeSpan.FromSeconds(30));
        probe.Code.Should().Be(0, "python3-kubernetes must be installed (scripts/setup.sh installs it): " + probe.Err);
        await using var server = await TestApiServer.StartAsync(o => o.BookmarkInterval = TimeSpan.FromMilliseconds(200));

        var (code, output, error) = await RunAsync(Python, [Path.Combine(Clients, "python", "client_check.py"), server.Server.Url.ToString().TrimEnd('/')],
            Clients, TimeSpan.FromSeconds(120));

        code.Should().Be(0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().Contain(Expected);
        lines.Should().Contain("informer watched.a=2");
    }

    [Fact]
    public async Task Javascript_kubernetes_client_works_against_the_server()
    {
        var node = new[] { "/usr/bin/node", "/usr/local/bin/node" }.FirstOrDefault(File.Exists);
        if (node is null)
        {
            // The one allowed skip: this machine kind may come without Node.js.
            Console.WriteLine("SKIPPED: node is not installed; the @kubernetes/client-node test needs it");
            return;
        }

        var js = Path.Combine(Clients, "js");
        if (!Directory.Exists(Path.Combine(js, "node_modules", "@kubernetes", "client-node")))
        {
            var install = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], js, TimeSpan.FromMinutes(5));
            install.Code.Should().Be(0, "npm ci in " + js + ": " + install.Err);
        }

        await using var server = await TestApiServer.StartAsync(o => o.BookmarkInterval = TimeSpan.FromMilliseconds(200));
        var (code, output, error) = await RunAsync(node, [Path.Combine(js, "client_check.mjs"), server.Server.Url.ToString().TrimEnd('/')],
            js, TimeSpan.FromSeconds(120));

        code.Should().Be(0, error + output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().Contain(Expected);
        lines.Should().Contain(l => l.StartsWith("informer watched.a=2 cached=", StringComparison.Ordinal));
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string file, string[] args, string workingDirectory, TimeSpan limit)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {limit}; output: {await stdout} {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
