using System.CommandLine;
using Raven.Controller.Runtime;
using Raven.Controller.Webhooks;
using Raven.Kube.Client;
using Raven.Kube.Observability;

namespace Raven.Cli.Commands;

/// <summary>`raven controller`: gateway election, services, DNS records and CSR approval.</summary>
internal static class ControllerCommand
{
    public static Command Create()
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Path to a kubeconfig; default KUBECONFIG, in-cluster, then ~/.kube/config." };
        var resync = new Option<double>("--resync-period") { Description = "Seconds between full re-evaluations of every gateway.", DefaultValueFactory = _ => 60 };
        // Both `--leader-elect false` and `--leader-elect=false` turn it off; a bare `--leader-elect` means true.
        var leaderElect = new Option<bool>("--leader-elect")
        {
            Description = "Elect a leader among controller replicas through the Lease kube-system/raven-controller (default true); --leader-elect false for a single replica.",
            HelpName = "true|false",
            DefaultValueFactory = _ => true,
        };
        var leaseDuration = new Option<double>("--leader-elect-lease-duration") { DefaultValueFactory = _ => 15, Description = "Seconds." };
        var renewDeadline = new Option<double>("--leader-elect-renew-deadline") { DefaultValueFactory = _ => 10, Description = "Seconds." };
        var retryPeriod = new Option<double>("--leader-elect-retry-period") { DefaultValueFactory = _ => 2, Description = "Seconds." };
        var probe = new Option<string>("--health-probe-addr") { Description = "host:port for /healthz, /readyz and /metrics; empty disables.", DefaultValueFactory = _ => "127.0.0.1:10272" };
        var level = Logs.LevelOption();
        var format = Logs.FormatOption();

        // Admission webhooks (independent of leader election: every replica serves them).
        var webhookBind = new Option<string>("--webhook-bind-addr") { Description = "host:port for the HTTPS admission and conversion webhooks, e.g. 0.0.0.0:10273; empty disables.", DefaultValueFactory = _ => "" };
        var webhookCertDir = new Option<string>("--webhook-cert-dir") { Description = "Directory with tls.crt/tls.key (reloaded on change); when absent there, a self-signed CA, tls.crt/tls.key and ca.crt are generated into it.", DefaultValueFactory = _ => WebhookServerOptions.DefaultCertDir };
        var command = new Command("controller", "Run the Raven controllers: gateway election and status, services, node-name DNS, CSR approval.")
        {
            kubeconfig, resync, leaderElect, leaseDuration, renewDeadline, retryPeriod, probe, level, format, webhookBind, webhookCertDir,
        };
        command.SetAction(async (parse, token) =>
        {
            var options = new ControllerOptions
            {
                ResyncPeriod = TimeSpan.FromSeconds(parse.GetValue(resync)),
                LeaderElection = parse.GetValue(leaderElect),
                LeaseDuration = TimeSpan.FromSeconds(parse.GetValue(leaseDuration)),
                RenewDeadline = TimeSpan.FromSeconds(parse.GetValue(renewDeadline)),
                RetryPeriod = TimeSpan.FromSeconds(parse.GetValue(retryPeriod)),
                ProbeAddress = parse.GetValue(probe) is { Length: > 0 } address ? address : null,
            };
            try
            {
                options.Validate();
                if (parse.GetValue(webhookBind) is { Length: > 0 } bind)
                {
                    ProbeServer.ParseAddress(bind);
                }
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"raven controller: {ex.Message}");
                return 2;
            }

            using var logs = Logs.Create(parse.GetValue(level)!, parse.GetValue(format)!);
            KubeClient client;
            try
            {
                client = KubeClient.Create(parse.GetValue(kubeconfig));
            }
            catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or IOException)
            {
                Console.Error.WriteLine($"raven controller: {ex.Message}");
                return 2;
            }

            using var disposeClient = client;
            var metrics = new ControllerMetrics();
            var controller = new RavenController(client, options, metrics, logs);
            // The caches list and the leader election starts while the servers bind: on a busy node (the lab starts
            // twenty processes at once) each HTTPS host costs about a second of start-up.
            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(token);
            var running = controller.RunAsync(stopping.Token);
            ProbeServer? probeServer;
            try
            {
                probeServer = options.ProbeAddress is null ? null
                    : await ProbeServer.StartAsync(options.ProbeAddress, () => controller.NotReadyReason, metrics.Registry, token);
            }
            catch (ProbeServerStartException ex)
            {
                Console.Error.WriteLine($"raven controller: {ex.Message}");
                return await StopAsync(running, stopping);
            }

            await using var probes = probeServer;
            WebhookServer? webhookServer = null;
            try
            {
                webhookServer = parse.GetValue(webhookBind) is { Length: > 0 } webhookAddress
                    ? await WebhookServer.StartAsync(
                        new WebhookServerOptions { BindAddress = webhookAddress, CertDir = parse.GetValue(webhookCertDir)! },
                        logs.CreateLogger("webhooks"),
                        token)
                    : null;
            }
            catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"raven controller: the webhook server cannot start: {ex.Message}");
                return await StopAsync(running, stopping);
            }

            await using var webhooks = webhookServer;
            try
            {
                await running;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // normal stop
            }

            return 0;
        });
        return command;
    }

    /// <summary>A server could not start: the controller started beside it stops too, and the command exits 2.</summary>
    private static async Task<int> StopAsync(Task running, CancellationTokenSource stopping)
    {
        await stopping.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
            // the stop asked for
        }

        return 2;
    }
}
