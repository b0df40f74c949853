using Raven.Agent.Linux.Processes;

namespace Raven.Agent.Linux.Netfilter;

/// <summary>What one <see cref="NetfilterApplier.ApplyAsync"/> call changed.</summary>
public sealed record NetfilterApplyResult(bool IpSetsUpdated, IReadOnlyList<string> TablesRestored, bool IpSetsDestroyed)
{
    public bool Changed => IpSetsUpdated || TablesRestored.Count > 0 || IpSetsDestroyed;
}

/// <summary>
/// Applies a <see cref="NetfilterState"/>: reads current state (ipset save, iptables-save -t T), renders only the
/// differences and feeds them to <c>ipset restore</c> / <c>iptables-restore --noflush</c>. Unchanged state runs no
/// restore at all, which <see cref="RestoreRuns"/> makes observable.
/// </summary>
public sealed class NetfilterApplier(ICommandRunner runner, IptablesTool tool)
{
    private long _restoreRuns;

    public ICommandRunner Runner { get; } = runner ?? throw new ArgumentNullException(nameof(runner));

    public IptablesTool Tool { get; } = tool ?? throw new ArgumentNullException(nameof(tool));

    /// <summary>Number of ipset/iptables restore commands executed so far.</summary>
    public long RestoreRuns => Interlocked.Read(ref _restoreRuns);

    public async Task<NetfilterApplyResult> ApplyAsync(NetfilterState desired, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(desired);

        // Sets first: rules that reference a set need it to exist; set removal waits until no rule uses it.
        var sets = await ReadSetsAsync(cancellationToken).ConfigureAwait(false);
        string? update = NetfilterRenderer.RenderIpSetUpdate(desired, sets);
        if (update is not null)
        {
            await RestoreAsync("ipset", ["restore"], update, cancellationToken).ConfigureAwait(false);
        }

        var restored = new List<string>();
        foreach (string table in NetfilterRenderer.Tables(desired))
        {
            var current = await ReadTableAsync(table, cancellationToken).ConfigureAwait(false);
            string? script = NetfilterRenderer.RenderTable(desired, table, current);
            if (script is not null)
            {
                await RestoreAsync(Tool.Restore, ["-w", "--noflush"], script, cancellationToken).ConfigureAwait(false);
                restored.Add(table);
            }
        }

        string? cleanup = NetfilterRenderer.RenderIpSetCleanup(desired, sets);
        if (cleanup is not null)
        {
            await RestoreAsync("ipset", ["restore"], cleanup, cancellationToken).ConfigureAwait(false);
        }

        return new NetfilterApplyResult(update is not null, restored, cleanup is not null);
    }

    /// <summary>Whether the kernel offers an ipset type, found by creating and destroying a scratch set.</summary>
    public async Task<bool> SupportsIpSetTypeAsync(string type, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        string probe = $"raven-probe-{Environment.ProcessId % 100000}";
        var created = await Runner.RunAsync(new CommandLine("ipset", ["create", probe, type]), cancellationToken).ConfigureAwait(false);
        if (created.ExitCode != 0)
        {
            return false;
        }

        await Runner.RunAsync(new CommandLine("ipset", ["destroy", probe]), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyDictionary<string, IpSetState>> ReadSetsAsync(CancellationToken cancellationToken = default)
    {
        var result = await Runner.RunAsync(new CommandLine("ipset", ["save"]), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(result, "ipset save", null);
        return IpSetSaveParser.Parse(result.StandardOutput);
    }

    public async Task<IptablesTableState> ReadTableAsync(string table, CancellationToken cancellationToken = default)
    {
        var result = await Runner.RunAsync(new CommandLine(Tool.Save, ["-t", table]), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(result, $"{Tool.Save} -t {table}", null);
        return IptablesSaveParser.Parse(result.StandardOutput, table);
    }

    private async Task RestoreAsync(string tool, IReadOnlyList<string> arguments, string script, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _restoreRuns);
        var result = await Runner.RunAsync(new CommandLine(tool, arguments, script), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(result, $"{tool} {string.Join(' ', arguments)}", script);
    }

    private static void EnsureSuccess(CommandResult result, string command, string? input)
    {
        if (result.ExitCode != 0)
        {
            string fed = input is null ? "" : $"\ninput was:\n{input}";
            throw new InvalidOperationException($"{command} failed with exit code {result.ExitCode}: {result.StandardError.Trim()}{fed}");
        }
    }
}
