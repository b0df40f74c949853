using System.Diagnostics;

namespace Raven.Agent.Linux.Processes;

/// <summary>
/// The one way Raven runs an external tool: a child process with redirected stdin/stdout/stderr, killed on
/// cancellation. With a namespace name the tool runs under <c>ip netns exec NAME</c>.
/// </summary>
public sealed class ProcessCommandRunner(string? networkNamespace = null) : ICommandRunner
{
    // Tools such as ip and iptables live in sbin, which a non-login PATH may lack.
    private static readonly string[] FallbackDirectories = ["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

    public string? NetworkNamespace { get; } = networkNamespace;

    public async Task<CommandResult> RunAsync(CommandLine command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var start = new ProcessStartInfo(Resolve(NetworkNamespace is null ? command.Program : "ip"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (NetworkNamespace is not null)
        {
            foreach (var word in new[] { "netns", "exec", NetworkNamespace, Resolve(command.Program) })
            {
                start.ArgumentList.Add(word);
            }
        }

        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in command.Environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        if (command.WorkingDirectory is not null)
        {
            start.WorkingDirectory = command.WorkingDirectory;
        }

        using var process = Start(start, command);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            if (command.StandardInput is not null)
            {
                await process.StandardInput.WriteAsync(command.StandardInput.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    private static Process Start(ProcessStartInfo start, CommandLine command)
    {
        try
        {
            return Process.Start(start) ?? throw new CommandFailedException($"could not start '{command}'");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CommandFailedException($"could not start '{command}' (is the tool installed? see scripts/setup.sh): {e.Message}", e);
        }
    }

    /// <summary>The absolute path of a program name, searching PATH and then the sbin directories.</summary>
    public static string Resolve(string program)
    {
        ArgumentException.ThrowIfNullOrEmpty(program);
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return program;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(FallbackDirectories)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists) ?? program;
    }
}
