using System.Collections.Concurrent;
using System.Diagnostics;
using Raven.Agent.Linux.Processes;
using Raven.Agent.Tunnel.WireGuard;
using Raven.Lab.Run;

namespace Raven.Cli.Tests.Support;

/// <summary>
/// The real `raven` executable run as a child process (optionally inside a network namespace through
/// <c>ip netns exec</c>, which keeps the PID), its stdout and stderr collected line by line, stopped by PID.
/// </summary>
public sealed class RavenProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private RavenProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    /// <summary>Every line printed so far, stdout and stderr interleaved as they arrived.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    public string Output => string.Join('\n', _lines);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <param name="wrapper">A command that runs the rest of the argument list (and execs it, keeping the PID), e.g.
    /// <c>unshare --mount ... sh -c '...; exec "$@"' sh</c>; placed after <c>ip netns exec</c>.</param>
    /// <param name="environment">Extra environment variables.</param>
    public static RavenProcess Start(IReadOnlyList<string> arguments, string? networkNamespace = null,
        IReadOnlyList<string>? wrapper = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var command = LabDaemons.RavenCommand();
        var argv = new List<string>();
        if (networkNamespace is not null)
        {
            argv.AddRange(["ip", "netns", "exec", networkNamespace]);
        }

        argv.AddRange(wrapper ?? []);
        argv.AddRange(command);
        argv.AddRange(arguments);
        var start = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in argv.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new RavenProcess(Process.Start(start) ?? throw new InvalidOperationException("cannot start raven"));
    }

    /// <summary>Polls until a printed line contains <paramref name="text"/>; false after the deadline or when the process ended.</summary>
    public async Task<bool> WaitForLineAsync(string text, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                return true;
            }

            if (_process.HasExited)
            {
                await Task.Delay(100); // let the last lines arrive
                return _lines.Any(l => l.Contains(text, StringComparison.Ordinal));
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>Waits for the process to end by itself; false when it still runs after <paramref name="deadline"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        _process.WaitForExit(); // drains the output readers
        return true;
    }

    /// <summary>Sends the signal and returns how long the process took to exit, or null when it outlived <paramref name="deadline"/>.</summary>
    public async Task<TimeSpan?> SignalAndWaitAsync(int signal, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        ProcessSignals.Send(_process.Id, signal);
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        var took = clock.Elapsed;
        _process.WaitForExit(); // drains the output readers
        return took;
    }

    /// <summary>What every long-running command promises, measured from the signal to the exit.</summary>
    public static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(2);

    /// <summary>Signal, exit within <see cref="StopBudget"/> (or <paramref name="budget"/>), code 0, and by the command's own stop (no forced exit).</summary>
    public static async Task AssertStopsAsync(RavenProcess process, int signal, TimeSpan? budget = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        process.HasExited.Should().BeFalse($"the command runs until signalled:\n{process.Output}");

        var took = await process.SignalAndWaitAsync(signal, TimeSpan.FromSeconds(10));

        took.Should().NotBeNull($"signal {signal} stops the command:\n{process.Output}");
        took!.Value.Should().BeLessThanOrEqualTo(budget ?? StopBudget, $"signal {signal} stops the command within {(budget ?? StopBudget).TotalSeconds:0} s:\n{process.Output}");
        process.ExitCode.Should().Be(0, process.Output);
        process.Output.Should().NotContain("forced exit", "the command stops by itself, not by the shutdown deadline");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }

        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}
