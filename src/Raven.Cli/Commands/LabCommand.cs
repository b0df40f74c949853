using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Raven.Cli.Progress;
using Raven.Kube.Client;
using Raven.Lab.Run;
using Raven.Lab.Topology;

namespace Raven.Cli.Commands;

/// <summary>`raven lab up|down|status|exec`: the user manual's walkthrough on this machine, in network namespaces.</summary>
internal static class LabCommand
{
    public static Command Create()
    {
        var command = new Command("lab", "The user manual's walkthrough on this machine: namespaces as nodes, NAT routers, an API server, real agents.");
        command.Subcommands.Add(Up());
        command.Subcommands.Add(Down());
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Exec());
        command.Subcommands.Add(Kubelet());
        command.Subcommands.Add(Workloads());
        return command;
    }

    private static LabRunner Runner(string prefix, bool gatewaysFromConfig = false, string vpnDriver = LabComponents.DefaultVpnDriver) =>
        new(LabTopology.Seed(prefix), new LabComponents(gatewaysFromConfig) { VpnDriver = vpnDriver });

    /// <summary>
    /// The lab's namespace prefix (and so its state directory): a second lab, a test's or a helper's, can run beside
    /// the default one and is taken down by the same prefix.
    /// </summary>
    private static Option<string> PrefixOption()
    {
        var prefix = new Option<string>("--prefix")
        {
            Description = "Namespace prefix of the lab (rvl- or rvt-<area>-); its state lives under /run/raven-lab/<prefix without the dash>.",
            DefaultValueFactory = _ => LabNames.DefaultPrefix,
        };
        prefix.Validators.Add(result =>
        {
            if (LabNames.CheckPrefix(result.GetValueOrDefault<string>()) is { } problem)
            {
                result.AddError(problem);
            }
        });
        return prefix;
    }

    private static Command Up()
    {
        var checkOnly = new Option<bool>("--check-only") { Description = "Run the checks, then take everything down." };
        var noFailover = new Option<bool>("--skip-failover") { Description = "Leave out the failover check (it stops a gateway node)." };
        var fromConfig = new Option<bool>("--gateways-from-config")
        {
            Description = "Describe the Gateways in raven-cfg (gateway-nodes, exposed-gateway, gateway-replicas, l7-proxy-port) and let the controller create them, instead of applying Gateway objects.",
        };
        var vpnDriver = new Option<string>("--vpn-driver")
        {
            Description = "Every agent's tunnel backend (raven-agent-config vpn-driver): wireguard, ipsec (alias libreswan) or vxlan (NOT encrypted: the edge routers forward a port per gateway node and raven-agent-config allows the untrusted underlay); the lab's raven-agent-secret holds a fresh random PSK.",
            DefaultValueFactory = _ => LabComponents.DefaultVpnDriver,
        };
        vpnDriver.Validators.Add(result =>
        {
            if (Raven.Agent.Tunnel.TunnelBackends.Find(result.GetValueOrDefault<string>() ?? "") is null)
            {
                result.AddError(Raven.Agent.Tunnel.TunnelBackends.UnknownMessage(result.GetValueOrDefault<string>() ?? ""));
            }
        });
        var prefix = PrefixOption();
        var command = new Command("up", "Build the lab, start everything, run the manual's checks; exit 0 only if every check passes.") { checkOnly, noFailover, fromConfig, vpnDriver, prefix };
        command.SetAction(async (parse, token) =>
        {
            RequireRoot();
            var lab = Runner(parse.GetValue(prefix)!, parse.GetValue(fromConfig), Raven.Agent.Tunnel.TunnelBackends.Get(parse.GetValue(vpnDriver)!).Name);
            var exit = 1;
            try
            {
                var (progress, upTook, checks) = await ProgressDisplay.RunAsync("raven lab up", ProgressTarget.Stdout, async report =>
                {
                    var progress = new LabProgress(report.Step);
                    await lab.UpAsync(progress, token);
                    var upTook = progress.Elapsed;
                    using var client = KubeClient.Create(lab.Paths.Kubeconfig);
                    var checks = await new LabChecks(lab, client, progress).RunAsync(!parse.GetValue(noFailover), token);
                    return (progress, upTook, checks);
                });
                var table = LabCheck.Table(checks);
                Console.WriteLine();
                Console.WriteLine(table);
                Console.WriteLine();
                foreach (var limited in checks.Where(c => c.NotApplicable))
                {
                    Console.WriteLine($"N/A with --vpn-driver {lab.VpnDriver}: {limited.Name}: {limited.Detail}");
                }

                if (lab.VpnDriver == Raven.Agent.Tunnel.Vxlan.VxlanCableProfile.BackendName)
                {
                    Console.WriteLine(LabVxlanCable.Warning);
                }

                Console.WriteLine($"up and checks took {progress.Elapsed.TotalSeconds:0.0}s (up, every agent Ready: {upTook.TotalSeconds:0.0}s; checks: {(progress.Elapsed - upTook).TotalSeconds:0.0}s)");
                Console.WriteLine("the longest steps (until the next step began):");
                foreach (var (step, took) in progress.Breakdown())
                {
                    Console.WriteLine($"  {took.TotalSeconds,5:0.0}s  {(step.Length > 110 ? step[..110] + "..." : step)}");
                }

                File.WriteAllText(lab.Paths.Report, table + "\n");
                exit = checks.All(c => c.Passed) ? 0 : 1;
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or IOException or HttpRequestException || ex.IsApiError())
            {
                Console.Error.WriteLine($"raven lab up: {KubeErrors.Describe(ex)}");
                Console.Error.WriteLine($"logs: {lab.Paths.Logs}");
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                Console.Error.WriteLine($"raven lab up: interrupted; what was built stays until `raven lab down` (logs: {lab.Paths.Logs})");
                return 130;
            }

            if (parse.GetValue(checkOnly))
            {
                if (exit != 0 && LabLogArchive.Keep(lab, passed: false) is { } kept)
                {
                    Console.WriteLine($"the lab's logs are kept in {kept}");
                }

                await lab.DownAsync(CancellationToken.None);
                Console.WriteLine("lab removed (--check-only)");
            }
            else
            {
                Console.WriteLine($"The lab stays up. kubectl: export KUBECONFIG={lab.Paths.Kubeconfig}");
                var raven = string.Join(' ', LabDaemons.RavenCommand());
                var own = lab.Topology.Names.Prefix == LabNames.DefaultPrefix ? "" : $" --prefix {lab.Topology.Names.Prefix}";
                Console.WriteLine($"Explore: {raven} lab status{own} | {raven} lab exec{own} hz-2 -- ip route | {raven} lab exec{own} p-hz-2 -- ping 10.244.17.2");
                Console.WriteLine($"Remove:  {raven} lab down{own}");
            }

            return exit;
        });
        return command;
    }

    private static Command Down()
    {
        var prefix = PrefixOption();
        var command = new Command("down", "Stop every lab process by PID and remove every lab namespace (idempotent, also after a crash).") { prefix };
        command.SetAction(async (parse, token) =>
        {
            RequireRoot();
            var report = await Runner(parse.GetValue(prefix)!).DownAsync(token);
            Console.WriteLine($"removed {report.RemovedNamespaces.Count} namespaces, stopped {report.StoppedProcesses} processes");
            return 0;
        });
        return command;
    }

    private static Command Status()
    {
        var prefix = PrefixOption();
        var output = new Option<string>("--output", "-o") { Description = "Format of the cluster part (as `raven status -o`).", DefaultValueFactory = _ => StatusCommand.Table };
        output.AcceptOnlyFromAmong(StatusCommand.Table, StatusCommand.Json, StatusCommand.Yaml);
        var command = new Command("status", "`raven status` against the lab's kubeconfig, then each agent's tunnel peers and L7 connections and the lab's processes.") { prefix, output };
        command.SetAction(async (parse, token) =>
        {
            var lab = Runner(parse.GetValue(prefix)!);
            if (!File.Exists(lab.Paths.Kubeconfig))
            {
                Console.Error.WriteLine("the lab is not up (run: raven lab up)");
                return 1;
            }

            var format = parse.GetValue(output)!;
            var exit = await StatusCommand.RunAsync(lab.Paths.Kubeconfig, null, format, Console.Out, Console.Error, token);
            if (format != StatusCommand.Table)
            {
                return exit;
            }

            Console.WriteLine();
            Console.WriteLine(await LabStatus.AgentsAsync(lab, token));
            Console.WriteLine(LabStatus.Processes(lab));
            Console.WriteLine($"The cluster part is `raven status --kubeconfig {lab.Paths.Kubeconfig}`, as on any cluster.");
            return exit;
        });
        return command;
    }

    private static Command Exec()
    {
        var target = new Argument<string>("target") { Description = "A node (hz-1) or a pod namespace (p-hz-1)." };
        var rest = new Argument<string[]>("command") { Description = "The command to run inside, after --.", Arity = ArgumentArity.OneOrMore };
        var prefix = PrefixOption();
        var command = new Command("exec", "Run a command inside a lab node or pod namespace.") { target, rest, prefix };
        command.SetAction(async (parse, token) =>
        {
            var topology = LabTopology.Seed(parse.GetValue(prefix)!);
            var ns = topology.Names.Prefix + parse.GetValue(target);
            if (!topology.Namespaces.Contains(ns))
            {
                Console.Error.WriteLine($"'{parse.GetValue(target)}' is not a lab node or pod; nodes: {string.Join(", ", topology.Nodes.Select(n => n.LabName))}");
                return 2;
            }

            var start = new ProcessStartInfo("ip") { UseShellExecute = false };
            foreach (var argument in new[] { "netns", "exec", ns }.Concat(parse.GetValue(rest)!))
            {
                start.ArgumentList.Add(argument);
            }

            Shutdown.Current?.PassSignalsThrough(); // Ctrl-C belongs to the command inside
            using var process = Process.Start(start)!;
            await process.WaitForExitAsync(CancellationToken.None);
            return process.ExitCode;
        });
        return command;
    }

    private static Command Kubelet()
    {
        var kubeconfig = new Option<string>("--kubeconfig") { Required = true };
        var node = new Option<string>("--node") { Required = true };
        var ip = new Option<string>("--ip") { Required = true };
        var podCidr = new Option<string>("--pod-cidr") { Required = true };
        var gateway = new Option<string>("--gateway") { Required = true };
        var labels = new Option<string[]>("--label") { Description = "key=value, repeatable: a Node label." };
        var stateRoot = new Option<string?>("--state-root") { Description = "The lab's state directory: run the pods bound to this node." };
        var labName = new Option<string>("--lab-name") { Description = "The node's lab name (suffix of its pods' process records)." };
        var apiSocket = new Option<string?>("--api-socket") { Description = "The API server's HTTPS Unix socket, offered to pods at --api-listen." };
        var apiListen = new Option<string>("--api-listen") { Description = "host:port in this namespace where pods reach the API server.", DefaultValueFactory = _ => "127.0.0.1:6443" };
        var serviceHost = new Option<string?>("--service-host") { Description = "KUBERNETES_SERVICE_HOST for pods (default: --api-listen's host)." };
        var servicePort = new Option<int?>("--service-port") { Description = "KUBERNETES_SERVICE_PORT for pods (default: --api-listen's port)." };
        var publicIp = new Option<string>("--public-ip") { Description = "The node's elastic IP, put in every pod's environment as NODE_PUBLIC_IP (empty: none).", DefaultValueFactory = _ => "" };
        var command = new Command("kubelet", "The lab's kubelet stand-in for one node (started by `raven lab up`).")
        {
            kubeconfig, node, ip, podCidr, gateway, labels, stateRoot, labName, apiSocket, apiListen, serviceHost, servicePort, publicIp,
        };
        command.Hidden = true;
        command.SetAction(async (parse, token) =>
        {
            using var logs = Logs.Create("Information");
            using var client = KubeClient.Create(parse.GetValue(kubeconfig));
            var listen = System.Net.IPEndPoint.Parse(parse.GetValue(apiListen)!);
            var root = parse.GetValue(stateRoot);
            var pods = root is null ? null : new Raven.Lab.Pods.PodRuntimeSettings(parse.GetValue(node)!, parse.GetValue(ip)!, parse.GetValue(labName) ?? parse.GetValue(node)!,
                root, new LabPaths(root).ApiCaCertificate, parse.GetValue(serviceHost) ?? listen.Address.ToString(), parse.GetValue(servicePort) ?? listen.Port, LabDaemons.RavenCommand())
            {
                NodeVariables = parse.GetValue(publicIp) is { Length: > 0 } eip ? [new("NODE_PUBLIC_IP", eip)] : [],
            };
            var settings = new KubeletSettings(parse.GetValue(node)!, parse.GetValue(ip)!, parse.GetValue(podCidr)!, parse.GetValue(gateway)!, TimeSpan.FromSeconds(10),
                (parse.GetValue(labels) ?? []).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal),
                pods, parse.GetValue(apiSocket) is null ? null : listen, parse.GetValue(apiSocket));
            try
            {
                await LabKubelet.RunAsync(client, settings, logs.CreateLogger("kubelet"), token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // stopped during start-up
            }

            return 0;
        });
        return command;
    }

    private static Command Workloads()
    {
        var stateRoot = new Option<string>("--state-root") { Required = true };
        var command = new Command("workloads", "The lab's DaemonSet/Deployment controllers and API forwarder (started by `raven lab up`).") { stateRoot };
        command.Hidden = true;
        command.SetAction(async (parse, token) =>
        {
            using var logs = Logs.Create("Information");
            var paths = new LabPaths(parse.GetValue(stateRoot)!);
            using var client = KubeClient.Create(paths.SocketKubeconfig);
            await LabWorkloads.RunAsync(client, paths, logs.CreateLogger("workloads"), token);
            return 0;
        });
        return command;
    }

    private static void RequireRoot()
    {
        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("the lab creates network namespaces: run it as root");
        }
    }
}
