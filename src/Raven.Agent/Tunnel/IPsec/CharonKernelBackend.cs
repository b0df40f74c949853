namespace Raven.Agent.Tunnel.IPsec;

/// <summary>Where ESP runs.</summary>
public enum CharonKernelBackend
{
    /// <summary>Kernel ESP when <see cref="KernelEspProbe"/> finds it, kernel-libipsec otherwise.</summary>
    Auto,

    /// <summary>XFRM states and policies in the kernel (kernel-netlink); no TUN device.</summary>
    KernelEsp,

    /// <summary>ESP in charon's userspace (kernel-libipsec) behind a TUN device (ipsecN), always in UDP.</summary>
    Libipsec,
}
