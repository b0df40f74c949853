using System.Buffers.Binary;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Raven.Agent.Linux;
using Raven.Agent.Linux.Native;
using Raven.Agent.Linux.Netlink;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>What <see cref="KernelEspProbe"/> found.</summary>
public sealed record KernelEspSupport(bool Available, string Reason);

/// <summary>
/// Asks the kernel itself whether it can do ESP: adds an AES-GCM ESP state over NETLINK_XFRM inside a brand-new
/// network namespace that lives only as long as the probing thread, so nothing is left behind and no real SA
/// database is touched. The kernel loads esp4 on demand and answers EPROTONOSUPPORT when it has no ESP at all
/// (this machine: libreswan's "Add SA … Protocol not supported (errno 93)"), ENOSYS/ENOENT when the cipher is missing.
/// </summary>
public static class KernelEspProbe
{
    private const ushort XfrmMsgNewSa = 0x10;
    private const ushort XfrmaAlgAead = 18;
    private const int UserSaInfoLength = 224;
    private const int AeadHeaderLength = 72;
    private const byte IpProtoEsp = 50;
    private const ushort AfInet = 2;
    private const int EProtoNoSupport = 93;
    private const int ENoSys = 38;
    private const int ENoEnt = 2;

    public static KernelEspSupport Probe()
    {
        KernelEspSupport result = new(false, "not probed");
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = ProbeInPrivateNamespace();
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        })
        {
            IsBackground = true,
            Name = "kernel-esp-probe",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>XFRM_MSG_NEWSA for a transport-mode ESP SA with rfc4106(gcm(aes)) between two documentation addresses.</summary>
    internal static NetlinkMessageBuilder NewSaRequest(uint spi, ReadOnlySpan<byte> key)
    {
        var info = new byte[UserSaInfoLength];
        var span = info.AsSpan();
        IPAddress.Parse("192.0.2.1").GetAddressBytes().CopyTo(span[56..]);      // id.daddr
        BinaryPrimitives.WriteUInt32BigEndian(span[72..], spi);                 // id.spi
        span[76] = IpProtoEsp;                                                   // id.proto
        IPAddress.Parse("192.0.2.2").GetAddressBytes().CopyTo(span[80..]);      // saddr
        for (var limit = 96; limit < 128; limit += 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(span[limit..], ulong.MaxValue); // lft soft/hard byte and packet limits: none
        }

        BinaryPrimitives.WriteUInt16LittleEndian(span[40..], AfInet);           // sel.family
        BinaryPrimitives.WriteUInt16LittleEndian(span[212..], AfInet);          // family

        var aead = new byte[AeadHeaderLength + key.Length];
        Encoding.ASCII.GetBytes("rfc4106(gcm(aes))", aead);
        BinaryPrimitives.WriteUInt32LittleEndian(aead.AsSpan(64), (uint)key.Length * 8); // key bits, salt included
        BinaryPrimitives.WriteUInt32LittleEndian(aead.AsSpan(68), 128);                  // ICV bits
        key.CopyTo(aead.AsSpan(AeadHeaderLength));

        return new NetlinkMessageBuilder(XfrmMsgNewSa, NlmFlags.Request | NlmFlags.Ack)
            .AddHeader(info)
            .AddAttribute(XfrmaAlgAead, aead);
    }

    private static KernelEspSupport ProbeInPrivateNamespace()
    {
        if (LibC.Unshare(LibC.CloneNewNet) != 0)
        {
            return new(false, $"cannot create a throwaway network namespace to probe in: {LibC.ErrorText(Marshal.GetLastPInvokeError())}");
        }

        using var socket = NetlinkSocket.Open(LibC.NetlinkXfrm);
        try
        {
            socket.Execute(NewSaRequest(0x52415600 | (uint)RandomNumberGenerator.GetInt32(0x100), RandomNumberGenerator.GetBytes(20)), "probe kernel ESP");
            return new(true, "the kernel accepted an AES-GCM ESP state");
        }
        catch (NetlinkException ex) when (ex.Errno == EProtoNoSupport)
        {
            return new(false, "the kernel has no ESP (XFRM answers EPROTONOSUPPORT)");
        }
        catch (NetlinkException ex) when (ex.Errno is ENoSys or ENoEnt)
        {
            return new(false, "the kernel's ESP lacks rfc4106(gcm(aes))");
        }
        catch (NetlinkException ex)
        {
            return new(false, $"adding a probe ESP state failed: {ex.Message}");
        }
    }
}
