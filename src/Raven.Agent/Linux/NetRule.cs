using System.Net;

namespace Raven.Agent.Linux;

/// <summary>
/// An IPv4 policy routing rule ("ip rule"). A mark without a mask means an exact match, which the kernel reports
/// as mask 0xffffffff; <see cref="EffectiveFwMask"/> gives that normalised value.
/// </summary>
public sealed record NetRule(uint Priority, uint Table)
{
    public IPNetwork? Source { get; init; }

    public IPNetwork? Destination { get; init; }

    public uint? FwMark { get; init; }

    public uint? FwMask { get; init; }

    public string? InputInterface { get; init; }

    public string? OutputInterface { get; init; }

    public uint? EffectiveFwMask => FwMark is null or 0 && FwMask is null ? null : FwMask ?? uint.MaxValue;

    /// <summary>Equality that ignores how the mask was spelled (absent vs 0xffffffff).</summary>
    public bool Matches(NetRule other) =>
        other is not null && Priority == other.Priority && Table == other.Table && Source == other.Source &&
        Destination == other.Destination && (FwMark ?? 0) == (other.FwMark ?? 0) && EffectiveFwMask == other.EffectiveFwMask &&
        InputInterface == other.InputInterface && OutputInterface == other.OutputInterface;

    public override string ToString() =>
        $"pref {Priority}{(Source is null ? "" : $" from {Source}")}{(Destination is null ? "" : $" to {Destination}")}" +
        $"{(FwMark is null ? "" : $" fwmark 0x{FwMark:x}/0x{EffectiveFwMask:x}")} lookup {Table}";
}
