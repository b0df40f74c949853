using System.Net;

namespace Raven.ApiServer;

/// <summary>Hands out service cluster IPs from 10.96.0.0/16; 10.96.0.1 stays reserved as in real clusters.</summary>
internal sealed class ClusterIpAllocator
{
    private const uint First = (10u << 24) | (96u << 16) | 10u;
    private const uint Last = (10u << 24) | (96u << 16) | 0xFFFEu;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private uint _next = First;

    public void MarkUsed(string? ip)
    {
        if (!string.IsNullOrEmpty(ip) && ip != "None") _used.Add(ip);
    }

    public void Release(string? ip)
    {
        if (ip is not null) _used.Remove(ip);
    }

    public bool IsUsed(string ip) => _used.Contains(ip);

    /// <exception cref="ApiException">500 when the range is exhausted.</exception>
    public string Allocate()
    {
        for (uint tries = 0; tries <= Last - First; tries++)
        {
            var candidate = _next;
            _next = _next >= Last ? First : _next + 1;
            var ip = new IPAddress([(byte)(candidate >> 24), (byte)(candidate >> 16), (byte)(candidate >> 8), (byte)candidate]).ToString();
            if (_used.Add(ip)) return ip;
        }

        throw new ApiException(500, "InternalError", "Internal error: range 10.96.0.0/16 is full, no cluster IP left");
    }
}
