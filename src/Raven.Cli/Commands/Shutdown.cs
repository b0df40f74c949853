using System.Runtime.InteropServices;

namespace Raven.Cli.Commands;

/// <summary>
/// The process's one handler for SIGTERM and SIGINT: the first signal cancels <see cref="Token"/>, which every
/// command's action receives, so long-running commands stop in order (the agent detaches, leaving the data plane).
/// Kubernetes kills a pod at the end of its grace period, so the stop is bounded: a command still running
/// <see cref="Budget"/> after the signal is ended by a forced exit with code 0, and says so on stderr; a second
/// signal ends the process at once.
/// </summary>
internal sealed class Shutdown : IDisposable
{
    /// <summary>What every long-running command promises: gone within 2 s of the signal. The forced exit leaves some slack.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(1700);

    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _interrupt;
    private readonly Action<int> _exit;
    private readonly TextWriter _errors;
    private readonly TimeSpan _budget;
    private ITimer? _deadline;
    private long _signalledAt;
    private int _signals;
    private volatile bool _passThrough;

    public Shutdown()
        : this(Environment.Exit, Console.Error, Budget)
    {
    }

    internal Shutdown(Action<int> exit, TextWriter errors, TimeSpan budget)
    {
        _exit = exit;
        _errors = errors;
        _budget = budget;
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        Current = this;
    }

    /// <summary>The process's instance (set by Program), for commands that hand the terminal to a child.</summary>
    public static Shutdown? Current { get; private set; }

    public CancellationToken Token => _source.Token;

    /// <summary>
    /// For commands that run an interactive child in the foreground (`lab exec`): the terminal signals the child's
    /// process group itself, and the command simply ends when the child does; raven neither cancels nor exits.
    /// </summary>
    public void PassSignalsThrough() => _passThrough = true;

    public void Dispose()
    {
        _term.Dispose();
        _interrupt.Dispose();
        _deadline?.Dispose();
        _source.Dispose();
    }

    /// <summary>What a signal does; public for tests, which cannot easily signal their own process.</summary>
    internal void Request(string signal)
    {
        if (_passThrough)
        {
            return;
        }

        if (Interlocked.Increment(ref _signals) > 1)
        {
            _errors.WriteLine($"raven: second {signal}: exiting now");
            _exit(0);
            return;
        }

        _signalledAt = TimeProvider.System.GetTimestamp();
        _deadline = TimeProvider.System.CreateTimer(_ =>
        {
            _errors.WriteLine($"raven: still stopping {_budget.TotalSeconds:0.0#}s after {signal}: forced exit");
            _exit(0);
        }, null, _budget, Timeout.InfiniteTimeSpan);
        _source.Cancel();
    }

    /// <summary>
    /// Moves the forced exit to <paramref name="extra"/> past the budget, for a stop that must outlast it (the agent while
    /// its probe stand-in starts; still inside the pod's grace period). Only during a stop; never earlier than before.
    /// </summary>
    public void Extend(TimeSpan extra)
    {
        if (_deadline is { } deadline && extra > TimeSpan.Zero)
        {
            var left = _budget + extra - TimeProvider.System.GetElapsedTime(_signalledAt);
            deadline.Change(left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // we stop in order ourselves, within the budget
        Request(context.Signal.ToString());
    }
}
