using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Health.Detection;
using Raven.Agent.Health.Protocol;

namespace Raven.Agent.Health.Probing;

/// <summary>
/// Probes a set of targets, each on its own socket (so each can carry its own mark, device and source) with its own
/// <see cref="ProbeSession"/>. <see cref="Sync"/> makes the set equal to the desired one and is idempotent: unchanged
/// targets keep their session and state; a target whose path settings changed starts a new session.
/// </summary>
public sealed class Prober : IAsyncDisposable
{
    private readonly ProberOptions _options;
    private readonly ProbeKey? _key;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ulong _nodeId;
    private readonly long _origin;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TargetProbe> _targets = new(StringComparer.Ordinal);
    private bool _disposed;

    public Prober(ProberOptions options, ProbeKey? key = null, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options with { Detector = options.Detector.Validated() };
        _key = key;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _nodeId = ProbeNodeId.Of(options.NodeName);
        _origin = _time.GetTimestamp();
    }

    /// <summary>Every state change of every target, raised on a probe loop's thread: keep handlers short.</summary>
    public event Action<HealthTransition>? Transition;

    /// <summary>
    /// Starts probing targets that are new or changed, stops those no longer wanted. A target whose socket cannot be
    /// opened (a missing device, no permission for the mark) is reported and left out; the next sync tries it again.
    /// </summary>
    /// <exception cref="ArgumentException">A target is invalid or two share a name; nothing is changed then.</exception>
    public async Task<ProbeSyncResult> SyncAsync(IEnumerable<ProbeTarget> desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var wanted = new Dictionary<string, ProbeTarget>(StringComparer.Ordinal);
        foreach (var target in desired)
        {
            target.Validated();
            if (!wanted.TryAdd(target.Name, target))
            {
                throw new ArgumentException($"probe target name '{target.Name}' is used twice", nameof(desired));
            }
        }

        List<TargetProbe> stopped = [];
        List<string> failed = [];
        int started = 0;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var (name, running) in _targets.ToList())
            {
                if (!wanted.TryGetValue(name, out var target) || target != running.Target)
                {
                    stopped.Add(running);
                    _targets.Remove(name);
                }
            }

            foreach (var target in wanted.Values.Where(t => !_targets.ContainsKey(t.Name)).OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                try
                {
                    _targets[target.Name] = StartProbe(target);
                    started++;
                }
                catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or ArgumentException or UnauthorizedAccessException)
                {
                    _logger.LogWarning("probe target {Target}: cannot open its socket: {Error}", target, e.Message);
                    failed.Add($"{target.Name}: {e.Message}");
                }
            }
        }

        foreach (var probe in stopped)
        {
            await probe.DisposeAsync().ConfigureAwait(false);
        }

        return new ProbeSyncResult(started, stopped.Count, failed);
    }

    /// <summary>The status of every target, ordered by name.</summary>
    public IReadOnlyList<ProbeTargetStatus> Snapshot()
    {
        lock (_gate)
        {
            return [.. _targets.Values.OrderBy(t => t.Target.Name, StringComparer.Ordinal).Select(t => t.Status())];
        }
    }

    /// <summary>
    /// Sets what the requests to a target say about the punched path (<see cref="ProbePacket.PunchFlags"/>); a change is
    /// sent at once in an extra request. False when there is no such target.
    /// </summary>
    public bool SetPunch(string name, ProbeFlags punch)
    {
        lock (_gate)
        {
            if (!_targets.TryGetValue(name, out var probe))
            {
                return false;
            }

            if (probe.Punch != (punch & ProbePacket.PunchFlags))
            {
                probe.Punch = punch;
                probe.SendNow();
            }

            return true;
        }
    }

    public ProbeTargetStatus? Find(string name)
    {
        lock (_gate)
        {
            return _targets.TryGetValue(name, out var probe) ? probe.Status() : null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<TargetProbe> all;
        lock (_gate)
        {
            _disposed = true;
            all = [.. _targets.Values];
            _targets.Clear();
        }

        foreach (var probe in all)
        {
            await probe.DisposeAsync().ConfigureAwait(false);
        }
    }

    private TargetProbe StartProbe(ProbeTarget target)
    {
        var socket = ProbeSockets.OpenProbe(target, _options.NetworkNamespace);
        var session = new ProbeSession(target.Name, NewSessionId(), _nodeId, _options.Detector);
        var probe = new TargetProbe(target, session, socket, _key, _time, _origin, _options.Detector.Interval,
            t => Transition?.Invoke(t), _logger);
        _logger.LogInformation("probe target {Target}: session {Session:x8}, every {Interval} ms, {Auth}", target, session.Session,
            _options.Detector.Interval.TotalMilliseconds, _key is null ? "unauthenticated" : _key.ToString());
        probe.Start();
        return probe;
    }

    private static uint NewSessionId()
    {
        uint id;
        do
        {
            id = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(sizeof(uint)));
        }
        while (id == 0);
        return id;
    }
}
