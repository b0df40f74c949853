using Raven.Agent.Linux.Native;

namespace Raven.Agent.Linux;

/// <summary>A netlink request the kernel refused; names the operation, the object and the errno.</summary>
public sealed class NetlinkException : IOException
{
    public NetlinkException(string operation, int errno, string? kernelMessage)
        : base($"{operation}: {LibC.ErrorText(errno)}{(string.IsNullOrEmpty(kernelMessage) ? "" : $": {kernelMessage}")}")
    {
        Operation = operation;
        Errno = errno;
        KernelMessage = kernelMessage;
    }

    public NetlinkException()
        : this("netlink", 0, null)
    {
    }

    public NetlinkException(string message)
        : base(message)
    {
        Operation = "netlink";
    }

    public NetlinkException(string message, Exception innerException)
        : base(message, innerException)
    {
        Operation = "netlink";
    }

    public string Operation { get; }

    public int Errno { get; }

    /// <summary>The kernel's extended-ack text, e.g. "VXLAN: Local address ...", when it sent one.</summary>
    public string? KernelMessage { get; }

    public const int ENoEnt = 2;
    public const int EExist = 17;
    public const int ENoDev = 19;
    public const int ESrch = 3;
}
