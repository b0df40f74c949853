using System.Text;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>What the device should look like; the input of <see cref="ConfigDiff"/>.</summary>
public sealed record DesiredDevice
{
    public required WireGuardKey PrivateKey { get; init; }

    /// <summary>Null leaves the port as the daemon chose it.</summary>
    public int? ListenPort { get; init; }

    /// <summary>Null leaves the mark alone; zero clears it.</summary>
    public int? FwMark { get; init; }

    public IReadOnlyList<DesiredPeer> Peers { get; init; } = [];

    // Keeps the private key out of logs and exception messages that print this record.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("PrivateKey = ").Append("(redacted)");
        builder.Append(", PublicKey = ").Append(PrivateKey.PublicKey());
        builder.Append(", ListenPort = ").Append(ListenPort);
        builder.Append(", FwMark = ").Append(FwMark);
        builder.Append(", Peers = ").Append(Peers.Count);
        return true;
    }
}
