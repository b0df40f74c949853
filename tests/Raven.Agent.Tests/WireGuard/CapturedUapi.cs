namespace Raven.Agent.Tests.WireGuard;

/// <summary>
/// UAPI get=1 replies captured from wireguard-go 0.0.20220316 (Debian 12) running in throwaway namespaces
/// (rvt-wg-cap-a/b, veth 198.51.100.11/12, tunnel 10.99.9.1/2). Keys were generated for the capture only.
/// Raw string literals drop the final line break, so <see cref="Reply"/> restores the blank line that ends a reply.
/// </summary>
internal static class CapturedUapi
{
    /// <summary>A fresh daemon before any set=1.</summary>
    public const string UnconfiguredDevice = """
        listen_port=45975
        errno=0
        """;

    /// <summary>Device A: fwmark, one peer with PSK, keepalive and IPv4+IPv6 allowed IPs, one peer with an IPv6 endpoint and no allowed IPs.</summary>
    public const string DeviceABeforeHandshake = """
        private_key=6870926412799e5c99263e0ce4c2a582bd1be3d226c4f9cfed182d095ceaa16a
        listen_port=51820
        fwmark=64
        public_key=c419ac46fb321bd5f7cc47119e917efb9adcb3ab4ba333cc18dede9757b1d264
        preshared_key=45b2b31d0bba8daefdcd5f7dff86a2243ceb539763e1b8a0ee303a2567ebb74b
        protocol_version=1
        endpoint=198.51.100.12:51821
        last_handshake_time_sec=0
        last_handshake_time_nsec=0
        tx_bytes=148
        rx_bytes=0
        persistent_keepalive_interval=25
        allowed_ip=10.99.9.2/32
        allowed_ip=fd00:99::2/128
        public_key=193a1b42592c325d3139be09250208b95a28d1fd7f633eb88a9f13e8918066f1
        preshared_key=0000000000000000000000000000000000000000000000000000000000000000
        protocol_version=1
        endpoint=[2001:db8::1]:51820
        last_handshake_time_sec=0
        last_handshake_time_nsec=0
        tx_bytes=0
        rx_bytes=0
        persistent_keepalive_interval=0
        errno=0
        """;

    /// <summary>Device A after a ping through the tunnel (second peer removed).</summary>
    public const string DeviceAAfterHandshake = """
        private_key=6870926412799e5c99263e0ce4c2a582bd1be3d226c4f9cfed182d095ceaa16a
        listen_port=51820
        fwmark=64
        public_key=c419ac46fb321bd5f7cc47119e917efb9adcb3ab4ba333cc18dede9757b1d264
        preshared_key=45b2b31d0bba8daefdcd5f7dff86a2243ceb539763e1b8a0ee303a2567ebb74b
        protocol_version=1
        endpoint=198.51.100.12:51821
        last_handshake_time_sec=1795323496
        last_handshake_time_nsec=331304912
        tx_bytes=840
        rx_bytes=604
        persistent_keepalive_interval=25
        allowed_ip=10.99.9.2/32
        allowed_ip=fd00:99::2/128
        errno=0
        """;

    /// <summary>Device B after the same ping.</summary>
    public const string DeviceBAfterHandshake = """
        private_key=48ef394e9e8862d2034404de333e1a907a3fffe415665aed3ff274a0a9b09954
        listen_port=51821
        public_key=cc0108b652a729cfe430716149bde165d307642da5fd48df0610fee4f59f6c44
        preshared_key=45b2b31d0bba8daefdcd5f7dff86a2243ceb539763e1b8a0ee303a2567ebb74b
        protocol_version=1
        endpoint=198.51.100.11:51820
        last_handshake_time_sec=1795323496
        last_handshake_time_nsec=331541884
        tx_bytes=604
        rx_bytes=692
        persistent_keepalive_interval=0
        allowed_ip=10.99.9.1/32
        errno=0
        """;

    /// <summary>Adds the line breaks that end a reply on the wire.</summary>
    public static string Reply(string capture) => capture + "\n\n";
}
