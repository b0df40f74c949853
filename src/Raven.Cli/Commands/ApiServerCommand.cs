using System.CommandLine;
using System.Net;
using Raven.ApiServer.Gateways;
using Raven.ApiServer;

namespace Raven.Cli.Commands;

/// <summary>`raven apiserver`: the embedded Kubernetes-compatible API server (for labs and tests, not production).</summary>
internal static class ApiServerCommand
{
    public static Command Create()
    {
        var listen = new Option<string?>("--listen") { Description = "TCP address host:port to listen on (loopback only; port 0 picks one). Default 127.0.0.1:6443 unless --unix-socket is given." };
        var socket = new Option<string?>("--unix-socket") { Description = "Also (or only) listen on this Unix socket path: plain HTTP, reachable from every network namespace of this host; without a token a request is the admin, with a ServiceAccount token it is that account under RBAC." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Keep objects here so a restarted server has them; also where the kubeconfigs are written (kubeconfig for TCP, kubeconfig-unix for the socket; default: the current directory)." };
        var https = new Option<bool>("--https") { Description = "Serve HTTPS with a generated CA and require a bearer token (admin or ServiceAccount) or a client certificate from that CA." };
        var gatewayCrd = new Option<bool>("--install-gateway-crd") { Description = "Create the Gateway CRD at start." };
        var servingNames = new Option<string[]>("--serving-name") { Description = "Repeatable: another DNS name or IP for the HTTPS serving certificate (an address clients reach the server at through a forwarder)." };
        var command = new Command("apiserver", "Run the embedded Kubernetes-compatible API server used by the lab and the tests.")
        {
            listen, socket, dataDir, https, gatewayCrd, servingNames,
        };
        command.SetAction(async (parse, token) =>
        {
            var options = new EmbeddedApiServerOptions
            {
                Listen = ParseListen(parse.GetValue(listen), parse.GetValue(socket) is not null),
                UnixSocketPath = parse.GetValue(socket),
                DataDir = parse.GetValue(dataDir),
                Https = parse.GetValue(https),
            };
            foreach (var name in parse.GetValue(servingNames) ?? [])
            {
                options.ServingNames.Add(name);
            }

            await using var server = RavenApiServer.Create(options);
            try
            {
                await server.StartAsync(token);
                if (parse.GetValue(gatewayCrd))
                {
                    await RavenApiServer.InstallGatewayCrdAsync(server, token);
                }

                foreach (var line in Announce(server, server.WriteKubeconfigs(options.DataDir ?? Directory.GetCurrentDirectory())))
                {
                    Console.WriteLine(line);
                }

                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // normal stop, also during start-up
            }

            // Open requests get a moment, never more than the process's stop budget.
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await server.StopAsync(stopping.Token);
            return 0;
        });
        return command;
    }

    /// <summary>One line per listener with its kubeconfig, then the export line for kubectl (TCP only: kubectl has no unix://).</summary>
    internal static IEnumerable<string> Announce(EmbeddedApiServer server, IReadOnlyList<string> kubeconfigs)
    {
        var tcp = kubeconfigs.FirstOrDefault(k => Path.GetFileName(k) == EmbeddedApiServer.TcpKubeconfigName);
        var unix = kubeconfigs.FirstOrDefault(k => Path.GetFileName(k) == EmbeddedApiServer.UnixKubeconfigName);
        if (tcp is not null) yield return $"serving on {server.Url} (kubeconfig {tcp})";
        if (unix is not null) yield return $"serving on {server.UnixSocketUrl} (kubeconfig {unix}, for Raven's own commands: kubectl cannot use unix:// servers)";
        if (tcp is not null) yield return $"export KUBECONFIG={tcp}";
    }

    private static IPEndPoint? ParseListen(string? text, bool hasSocket)
    {
        if (text is null)
        {
            return hasSocket ? null : new IPEndPoint(IPAddress.Loopback, 6443);
        }

        var endPoint = Kube.Observability.ProbeServer.ParseAddress(text);
        if (!IPAddress.IsLoopback(endPoint.Address))
        {
            throw new ArgumentException($"--listen {text}: the embedded API server only listens on loopback");
        }

        return endPoint;
    }
}
