using System.Runtime.InteropServices;

namespace Raven.Cli.Commands;

/// <summary>A token cancelled by SIGTERM or Ctrl-C, for the long-running commands.</summary>
internal sealed class Shutdown : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _interrupt;

    public Shutdown()
    {
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        _term.Dispose();
        _interrupt.Dispose();
        _source.Dispose();
    }

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true; // we shut down in order ourselves
        _source.Cancel();
    }
}
