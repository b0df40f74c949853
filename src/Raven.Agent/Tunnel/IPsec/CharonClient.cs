using System.Globalization;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>charon's version command.</summary>
public sealed record CharonVersion(string Daemon, string Version, string? Release)
{
    /// <summary>The strongSwan version as numbers (5.9.8 → 5.9.8); unknown parts are 0.</summary>
    public Version Parsed => System.Version.TryParse(Version.Split('-', 2)[0], out var v) ? v : new Version(0, 0);
}

/// <summary>
/// The charon commands Raven uses, typed, over a <see cref="ViciClient"/>. Nothing here decides anything: it loads,
/// unloads, initiates, terminates and lists exactly what it is told.
/// </summary>
public sealed class CharonClient(ViciClient vici)
{
    public ViciClient Vici { get; } = vici ?? throw new ArgumentNullException(nameof(vici));

    public async Task<CharonVersion> VersionAsync(CancellationToken cancellationToken)
    {
        var reply = await Vici.CallAsync("version", null, cancellationToken).ConfigureAwait(false);
        return new CharonVersion(reply.Text("daemon") ?? "", reply.Text("version") ?? "", reply.Text("release"));
    }

    public async Task<IReadOnlyList<IkeSa>> ListSasAsync(CancellationToken cancellationToken)
    {
        var result = await Vici.StreamAsync("list-sas", "list-sa", null, cancellationToken).ConfigureAwait(false);
        return CharonParser.ParseSas(result.Events);
    }

    public async Task<IReadOnlyList<LoadedConnection>> ListConnsAsync(CancellationToken cancellationToken)
    {
        var result = await Vici.StreamAsync("list-conns", "list-conn", null, cancellationToken).ConfigureAwait(false);
        return CharonParser.ParseConns(result.Events);
    }

    /// <summary>Loads (or replaces) one connection; <paramref name="config"/> is the section under its name.</summary>
    public Task LoadConnAsync(string name, ViciSection config, CancellationToken cancellationToken) =>
        Vici.CommandAsync("load-conn", new ViciSection().Add(name, config), cancellationToken);

    public Task UnloadConnAsync(string name, CancellationToken cancellationToken) =>
        Vici.CommandAsync("unload-conn", new ViciSection().Add("name", name), cancellationToken);

    /// <summary>Loads an IKE pre-shared key under <paramref name="id"/>; no owners means it matches any identity.</summary>
    public Task LoadSharedAsync(string id, string secret, IReadOnlyList<string> owners, CancellationToken cancellationToken) =>
        Vici.CommandAsync(
            "load-shared",
            new ViciSection().Add("id", id).Add("type", "ike").Add("data", secret).Add("owners", owners),
            cancellationToken);

    /// <summary>The ids of the shared keys loaded over VICI (charon never returns the secrets).</summary>
    public async Task<IReadOnlyList<string>> GetSharedAsync(CancellationToken cancellationToken)
    {
        var reply = await Vici.CallAsync("get-shared", null, cancellationToken).ConfigureAwait(false);
        return reply.Texts("keys");
    }

    public Task UnloadSharedAsync(string id, CancellationToken cancellationToken) =>
        Vici.CommandAsync("unload-shared", new ViciSection().Add("id", id), cancellationToken);

    /// <summary>Starts initiating a CHILD SA and returns at once (timeout -1): the outcome shows in list-sas and events.</summary>
    public Task InitiateAsync(string connection, string child, CancellationToken cancellationToken) =>
        Vici.CommandAsync(
            "initiate",
            new ViciSection().Add("ike", connection).Add("child", child).Add("timeout", "-1").Add("init-limits", "no"),
            cancellationToken);

    /// <summary>Starts deleting one IKE SA (by charon's unique id) and returns at once.</summary>
    public Task TerminateIkeAsync(uint uniqueId, CancellationToken cancellationToken) =>
        Vici.CommandAsync(
            "terminate",
            new ViciSection().Add("ike-id", uniqueId.ToString(CultureInfo.InvariantCulture)).Add("timeout", "-1"),
            cancellationToken);
}
