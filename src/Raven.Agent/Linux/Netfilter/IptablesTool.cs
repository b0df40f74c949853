using Raven.Agent.Linux.Processes;

namespace Raven.Agent.Linux.Netfilter;

/// <summary>Which iptables binaries to run. <see cref="Backend"/> is "nf_tables" or "legacy" as iptables --version reports.</summary>
public sealed record IptablesTool(string Save, string Restore, string Backend)
{
    /// <summary>Whatever <c>iptables</c> on PATH is; save/restore come from the same alternatives group.</summary>
    public static IptablesTool FromPath(string backend) => new("iptables-save", "iptables-restore", backend);

    public static IptablesTool Legacy { get; } = new("iptables-legacy-save", "iptables-legacy-restore", "legacy");

    public static IptablesTool Nft { get; } = new("iptables-nft-save", "iptables-nft-restore", "nf_tables");

    /// <summary>Runs <c>iptables --version</c> ("iptables v1.8.9 (nf_tables)") to learn the backend of the PATH binaries.</summary>
    public static async Task<IptablesTool> DetectAsync(ICommandRunner runner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var result = await runner.RunAsync(new CommandLine("iptables", ["--version"]), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"iptables --version failed ({result.ExitCode}): {result.StandardError.Trim()}");
        }

        return FromPath(ParseBackend(result.StandardOutput));
    }

    public static string ParseBackend(string versionOutput)
    {
        ArgumentNullException.ThrowIfNull(versionOutput);
        if (versionOutput.Contains("(nf_tables)", StringComparison.Ordinal))
        {
            return "nf_tables";
        }

        // Old releases print no backend at all; they are legacy.
        return "legacy";
    }
}
