using System.Diagnostics;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Raven.Agent.Linux.Processes;
using Raven.Kube.Client;
using Raven.Kube.Resilience;
using Raven.Lab.Shell;

namespace Raven.Lab.Pods;

/// <summary>
/// Runs one pod bound to this node as kubelet would, with the pod's (first) container as a process in the node's
/// network namespace (the lab's pods share their node's network, as hostNetwork pods do; podIP = the node's IP) and
/// in a private mount namespace of its own, holding the pod's bind mounts. Restarts the container when it exits
/// (backoff), probes readiness and liveness, writes the pod's status, and stops it with SIGTERM, the pod's grace
/// period, then SIGKILL. Unlike a container runtime, which kills the container's whole cgroup, it leaves the daemons
/// the container started (wireguard-go) running: on this machine they stand in for kernel WireGuard devices, which
/// outlive the agent's pod on a real node, so the next agent pod adopts them (`lab down` stops them by PID).
/// </summary>
public sealed class PodWorker(KubeClient client, PodRuntimeSettings settings, LabProcessTable table, V1Pod pod, ILogger logger)
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private Process? _process;
    private string? _mountNamespace;
    private Task? _run;
    private string? _lastStatus;
    private int _restarts;
    private DateTime? _startTime;
    private V1ContainerState _state = new() { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } };
    private V1ContainerState? _lastState;
    private bool _ready;

    public V1Pod Pod { get; set; } = pod;

    public string Uid => Pod.Metadata.Uid;

    public bool Stopping => _stopping.IsCancellationRequested;

    private V1Container Container => Pod.Spec.Containers[0];

    public void Start() => _run = Task.Run(RunAsync);

    /// <summary>SIGTERM, up to <paramref name="grace"/> for the container to exit, then SIGKILL to the pod's processes.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Process? process;
        lock (_gate)
        {
            process = _process;
        }

        if (process is not null && !process.HasExited)
        {
            logger.LogInformation("stopping pod {Pod} (pid {Pid}): SIGTERM, {Grace}s grace", Pod.Metadata.Name, process.Id, grace.TotalSeconds);
            ProcessSignals.Send(process.Id, ProcessSignals.SigTerm);
            using var bound = new CancellationTokenSource(grace);
            try
            {
                await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                logger.LogWarning("pod {Pod} outlived its grace period: SIGKILL", Pod.Metadata.Name);
                ProcessSignals.Send(process.Id, ProcessSignals.SigKill);
                PodProcesses.KillAll(_mountNamespace);
            }
        }

        if (_run is not null)
        {
            await _run.ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        var backoff = new Backoff(settings.RestartInitial, settings.RestartMax);
        while (!_stopping.IsCancellationRequested)
        {
            Process process;
            try
            {
                var (argv, environment) = await PrepareAsync(_stopping.Token).ConfigureAwait(false);
                process = Launch(argv, environment);
            }
            catch (Exception e) when (e is ContainerConfigException or IOException or HttpRequestException || e.IsApiError())
            {
                logger.LogWarning("pod {Pod}: cannot start its container: {Error}", Pod.Metadata.Name, KubeErrors.Describe(e));
                _state = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = e is ContainerConfigException ? "CreateContainerConfigError" : "ContainerCreating", Message = KubeErrors.Describe(e) } };
                await WriteStatusAsync().ConfigureAwait(false);
                await DelayAsync(backoff.Next()).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                break;
            }

            var started = DateTime.UtcNow;
            _startTime ??= started;
            _mountNamespace = await PrivateNamespaceAsync(process).ConfigureAwait(false);
            _state = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = started } };
            _ready = Container.ReadinessProbe is null;
            await WriteStatusAsync().ConfigureAwait(false);
            using (var probing = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
            {
                var probes = ProbeAsync(process, probing.Token);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                await probing.CancelAsync().ConfigureAwait(false);
                await probes.ConfigureAwait(false);
            }

            var exitCode = process.ExitCode;
            process.Dispose();
            lock (_gate)
            {
                _process = null;
            }

            var terminated = new V1ContainerStateTerminated
            {
                ExitCode = exitCode, Reason = exitCode == 0 ? "Completed" : "Error", StartedAt = started, FinishedAt = DateTime.UtcNow,
            };
            _ready = false;
            if (_stopping.IsCancellationRequested)
            {
                _state = new V1ContainerState { Terminated = terminated };
                break;
            }

            logger.LogWarning("pod {Pod}: container exited with {Code}; restarting", Pod.Metadata.Name, exitCode);
            _restarts++;
            _lastState = new V1ContainerState { Terminated = terminated };
            if (DateTime.UtcNow - started > settings.RestartReset)
            {
                backoff.Reset();
            }

            var delay = backoff.Next();
            _state = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff", Message = $"back-off {delay.TotalSeconds:0}s restarting failed container {Container.Name}" } };
            await WriteStatusAsync().ConfigureAwait(false);
            await DelayAsync(delay).ConfigureAwait(false);
        }
    }

    private async Task DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <summary>The container's mount namespace once `unshare` made it (it differs from ours), bounded.</summary>
    private static async Task<string?> PrivateNamespaceAsync(Process process)
    {
        var own = PodProcesses.MountNamespace(Environment.ProcessId);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(3) && !process.HasExited)
        {
            if (PodProcesses.MountNamespace(process.Id) is { } ns && ns != own)
            {
                return ns;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<(IReadOnlyList<string> Argv, IReadOnlyList<KeyValuePair<string, string>> Environment)> PrepareAsync(CancellationToken cancellationToken)
    {
        var ns = Pod.Metadata.NamespaceProperty ?? "default";
        var objects = await ObjectsAsync(ns, cancellationToken).ConfigureAwait(false);
        var sandbox = settings.Sandbox(ns, Pod.Metadata.Name, Uid);
        Directory.CreateDirectory(sandbox);
        if (PodVolumes.MountsServiceAccount(Pod))
        {
            await WriteServiceAccountAsync(ns, PodVolumes.ServiceAccountDirectory(sandbox), cancellationToken).ConfigureAwait(false);
        }

        foreach (var volume in Pod.Spec.Volumes ?? [])
        {
            PrepareVolume(volume, sandbox, objects);
        }

        var mounts = PodVolumes.Mounts(Pod, Container, sandbox, settings.HostRoot);
        foreach (var mount in mounts)
        {
            HostMountPoints.Ensure(mount.Target, mount.IsFile, Path.Join(settings.StateRoot, "mountpoints"));
        }

        var service = new List<KeyValuePair<string, string>>
        {
            new("KUBERNETES_SERVICE_HOST", settings.ServiceHost),
            new("KUBERNETES_SERVICE_PORT", settings.ServicePort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("KUBERNETES_SERVICE_PORT_HTTPS", settings.ServicePort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("KUBERNETES_PORT", $"tcp://{settings.ServiceHost}:{settings.ServicePort}"),
        };
        service.AddRange(settings.NodeVariables);
        var environment = ContainerEnvironment.Resolve(Pod, Container, settings.NodeIp, settings.NodeIp, objects, service);
        var command = Container.Command is { Count: > 0 } c ? ContainerEnvironment.ExpandAll(c, environment) : [];
        var program = command.Count == 0 || Path.GetFileName(command[0]) == "raven" ? [.. settings.Entrypoint, .. command.Skip(1)] : command;
        var argv = new List<string>();
        argv.AddRange([ProcessCommandRunner.Resolve("unshare"), "--mount", "--propagation", "private", "/bin/sh", "-c", MountScript(mounts.Count), "pod",
            settings.Log(ns, Pod.Metadata.Name)]);
        foreach (var mount in mounts)
        {
            argv.AddRange([mount.Source, mount.Target]);
        }

        argv.AddRange(program);
        argv.AddRange(ContainerEnvironment.ExpandAll(Container.Args, environment));
        return (argv, environment);
    }

    /// <summary>The pod's mounts, then exec of the container's command in place (so the PID stays the container's).</summary>
    private static string MountScript(int mounts)
    {
        var script = new StringBuilder("set -e; log=$1; shift; ");
        for (var i = 0; i < mounts; i++)
        {
            script.Append("mount --bind \"$1\" \"$2\"; shift 2; ");
        }

        return script.Append("exec \"$@\" </dev/null >>\"$log\" 2>&1").ToString();
    }

    private Process Launch(IReadOnlyList<string> argv, IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        var start = new ProcessStartInfo(argv[0]) { UseShellExecute = false };
        foreach (var argument in argv.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        // The image's environment, then the pod's; nothing of the kubelet's own leaks in but the .NET runtime's location.
        var inherited = start.Environment.Where(e => e.Key.StartsWith("DOTNET_", StringComparison.Ordinal) && e.Value is not null).Select(e => new KeyValuePair<string, string>(e.Key, e.Value!)).ToList();
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["HOME"] = "/root";
        start.Environment["HOSTNAME"] = Pod.Spec.HostNetwork == true ? settings.NodeName : Pod.Metadata.Name;
        foreach (var (key, value) in inherited.Concat(environment))
        {
            start.Environment[key] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(settings.Log("x", "y"))!);
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                throw new OperationCanceledException(_stopping.Token);
            }

            var process = Process.Start(start) ?? throw new IOException($"could not start {argv[0]}");
            _process = process;
            table.Record($"pod-{Pod.Metadata.NamespaceProperty}.{Pod.Metadata.Name}-{settings.ProcessSuffix}", process.Id);
            logger.LogInformation("pod {Pod}: started {Command} as pid {Pid}", Pod.Metadata.Name, string.Join(' ', argv), process.Id);
            return process;
        }
    }

    private async Task<PodObjects> ObjectsAsync(string ns, CancellationToken cancellationToken)
    {
        var configMaps = await client.Api.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        var secrets = await client.Api.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new PodObjects(
            configMaps.Items.ToDictionary(c => c.Metadata.Name, c => (IReadOnlyDictionary<string, string>)(c.Data ?? new Dictionary<string, string>()).ToDictionary(), StringComparer.Ordinal),
            secrets.Items.ToDictionary(s => s.Metadata.Name, s => (IReadOnlyDictionary<string, string>)(s.Data ?? new Dictionary<string, byte[]>())
                .ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(p.Value)), StringComparer.Ordinal));
    }

    /// <summary>A TokenRequest for the pod's ServiceAccount (its absence is an error, as on a cluster), the CA and the namespace.</summary>
    private async Task WriteServiceAccountAsync(string ns, string directory, CancellationToken cancellationToken)
    {
        var account = Pod.Spec.ServiceAccountName is { Length: > 0 } name ? name : "default";
        var request = new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = [], ExpirationSeconds = 86400 } };
        var token = await client.Api.CoreV1.CreateNamespacedServiceAccountTokenAsync(request, account, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Join(directory, "token"), token.Status.Token, cancellationToken).ConfigureAwait(false);
        File.Copy(settings.CaCertificate, Path.Join(directory, "ca.crt"), overwrite: true);
        await File.WriteAllTextAsync(Path.Join(directory, "namespace"), ns, cancellationToken).ConfigureAwait(false);
    }

    private void PrepareVolume(V1Volume volume, string sandbox, PodObjects objects)
    {
        if (volume.HostPath is { } host)
        {
            if (!PodVolumes.IsDevice(host))
            {
                var path = PodVolumes.HostPath(settings.HostRoot, host);
                if (PodVolumes.IsFile(host))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    using var _ = new FileStream(path, FileMode.OpenOrCreate);
                }
                else
                {
                    Directory.CreateDirectory(path);
                }
            }

            return;
        }

        var directory = PodVolumes.VolumeDirectory(sandbox, volume.Name);
        Directory.CreateDirectory(directory);
        if (volume.ConfigMap is not null || volume.Secret is not null)
        {
            foreach (var (file, content) in PodVolumes.Files(volume, objects))
            {
                var target = Path.Join(directory, file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.WriteAllText(target, content);
            }
        }
    }

    private async Task ProbeAsync(Process process, CancellationToken cancellationToken)
    {
        var readiness = Container.ReadinessProbe;
        var liveness = Container.LivenessProbe;
        if (readiness is null && liveness is null)
        {
            return;
        }

        try
        {
            await Task.WhenAll(
                readiness is null ? Task.CompletedTask : ProbeLoopAsync(readiness, async passed =>
                {
                    if (_ready != passed)
                    {
                        _ready = passed;
                        await WriteStatusAsync().ConfigureAwait(false);
                    }
                }, cancellationToken),
                liveness is null ? Task.CompletedTask : ProbeLoopAsync(liveness, passed =>
                {
                    if (!passed && !process.HasExited)
                    {
                        logger.LogWarning("pod {Pod}: liveness probe failed: restarting the container", Pod.Metadata.Name);
                        ProcessSignals.Send(process.Id, ProcessSignals.SigTerm);
                    }

                    return Task.CompletedTask;
                }, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the container exited or the pod is stopping
        }
    }

    /// <summary>Probes every period after the initial delay; reports the verdict once the success/failure threshold is met.</summary>
    private async Task ProbeLoopAsync(V1Probe probe, Func<bool, Task> verdict, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(probe.InitialDelaySeconds ?? 0), cancellationToken).ConfigureAwait(false);
        var successes = 0;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            bool passed;
            try
            {
                passed = await PodProbe.PassesAsync(probe, Container, settings.NodeIp, cancellationToken).ConfigureAwait(false);
            }
            catch (ContainerConfigException)
            {
                passed = false;
            }

            (successes, failures) = passed ? (successes + 1, 0) : (0, failures + 1);
            if (successes >= (probe.SuccessThreshold ?? 1))
            {
                await verdict(true).ConfigureAwait(false);
            }
            else if (failures >= (probe.FailureThreshold ?? 3))
            {
                await verdict(false).ConfigureAwait(false);
            }

            await Task.Delay(TimeSpan.FromSeconds(probe.PeriodSeconds ?? 10), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteStatusAsync()
    {
        var now = DateTime.UtcNow;
        var ready = _ready && _state.Running is not null ? "True" : "False";
        var status = new V1PodStatus
        {
            Phase = _startTime is null ? "Pending" : "Running",
            HostIP = settings.NodeIp,
            HostIPs = [new V1HostIP { Ip = settings.NodeIp }],
            PodIP = _startTime is null ? null : settings.NodeIp,
            PodIPs = _startTime is null ? null : [new V1PodIP { Ip = settings.NodeIp }],
            StartTime = _startTime,
            Conditions =
            [
                new V1PodCondition { Type = "PodScheduled", Status = "True" },
                new V1PodCondition { Type = "Initialized", Status = "True" },
                new V1PodCondition { Type = "ContainersReady", Status = ready },
                new V1PodCondition { Type = "Ready", Status = ready },
            ],
            ContainerStatuses =
            [
                new V1ContainerStatus
                {
                    Name = Container.Name,
                    Image = Container.Image,
                    ImageID = "",
                    ContainerID = _process is { } p ? $"lab://{p.Id}" : null,
                    Ready = ready == "True",
                    Started = _state.Running is not null,
                    RestartCount = _restarts,
                    State = _state,
                    LastState = _lastState ?? new V1ContainerState(),
                },
            ],
        };
        var json = KubernetesJson.Serialize(status);
        if (json == _lastStatus)
        {
            return;
        }

        foreach (var condition in status.Conditions)
        {
            condition.LastTransitionTime = now;
        }

        try
        {
            await client.Api.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(new { status }, V1Patch.PatchType.MergePatch), Pod.Metadata.Name,
                Pod.Metadata.NamespaceProperty, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            _lastStatus = json;
        }
        catch (Exception e) when (e is HttpRequestException or IOException || e.IsApiError())
        {
            logger.LogWarning("pod {Pod}: writing its status failed: {Error}", Pod.Metadata.Name, KubeErrors.Describe(e));
        }
    }
}
