using System.Diagnostics;

namespace Raven.Agent.Linux.Netfilter;

/// <summary>Runs commands as child processes; with a namespace name they run under <c>ip netns exec NAME</c>.</summary>
public sealed class ProcessCommandRunner(string? networkNamespace = null) : ICommandRunner
{
    public string? NetworkNamespace { get; } = networkNamespace;

    public async Task<CommandResult> RunAsync(string fileName, IReadOnlyList<string> arguments, string? standardInput, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo
        {
            FileName = NetworkNamespace is null ? fileName : "ip",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (NetworkNamespace is not null)
        {
            foreach (string word in new[] { "netns", "exec", NetworkNamespace, fileName })
            {
                start.ArgumentList.Add(word);
            }
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
