namespace Raven.Agent.Tunnel.IPsec;

/// <summary>A connection the tunnel could not take as asked: skipped altogether, or narrowed.</summary>
public sealed record IpsecDiagnostic(string Connection, string Message)
{
    public override string ToString() => $"{Connection}: {Message}";
}

/// <summary>What one apply changed in charon and the kernel; empty lists and no flags mean nothing was sent.</summary>
public sealed record IpsecApplyResult
{
    public IReadOnlyList<string> Loaded { get; init; } = [];

    public IReadOnlyList<string> Unloaded { get; init; } = [];

    /// <summary>Unchanged initiator connections without any SA that were initiated again.</summary>
    public IReadOnlyList<string> Initiated { get; init; } = [];

    public IReadOnlyList<IpsecDiagnostic> Diagnostics { get; init; } = [];

    public bool SecretLoaded { get; init; }

    public bool RoutesChanged { get; init; }

    /// <summary>The kernel-libipsec TUN device (e.g. ipsec0); null with kernel ESP.</summary>
    public string? Device { get; init; }

    public bool Changed => Loaded.Count > 0 || Unloaded.Count > 0 || Initiated.Count > 0 || SecretLoaded || RoutesChanged;

    public override string ToString()
    {
        var parts = new List<string>();
        if (Loaded.Count > 0)
        {
            parts.Add($"loaded {string.Join(", ", Loaded)}");
        }

        if (Unloaded.Count > 0)
        {
            parts.Add($"unloaded {string.Join(", ", Unloaded)}");
        }

        if (Initiated.Count > 0)
        {
            parts.Add($"initiated {string.Join(", ", Initiated)}");
        }

        if (SecretLoaded)
        {
            parts.Add("PSK loaded");
        }

        if (RoutesChanged)
        {
            parts.Add("routes");
        }

        return parts.Count == 0 ? "unchanged" : string.Join("; ", parts);
    }
}
