namespace Raven.Agent.Tests.Nat;

/// <summary>The test vectors of RFC 5769 §2.1–2.3, typed in from the RFC (padding bytes there are 0x20).</summary>
internal static class Rfc5769Vectors
{
    public const string Password = "VOkJxbRl1RmTxUk/WvJxBt";
    public const string Username = "evtj:h6vY";
    public const string TransactionIdHex = "b7e7a701bc34d686fa87dfae";

    /// <summary>§2.1 Sample Request: SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME, MESSAGE-INTEGRITY, FINGERPRINT.</summary>
    public static readonly byte[] Request = Convert.FromHexString(
        "00010058" + "2112a442" + TransactionIdHex +
        "80220010" + "5354554e207465737420636c69656e74" +
        "00240004" + "6e0001ff" +
        "80290008" + "932ff9b151263b36" +
        "00060009" + "6576746a3a68367659202020" +
        "00080014" + "9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2" +
        "80280004" + "e57a3bcf");

    /// <summary>§2.2 Sample IPv4 Response: XOR-MAPPED-ADDRESS 192.0.2.1:32853.</summary>
    public static readonly byte[] ResponseIPv4 = Convert.FromHexString(
        "0101003c" + "2112a442" + TransactionIdHex +
        "8022000b" + "7465737420766563746f7220" +
        "00200008" + "0001a147e112a643" +
        "00080014" + "2b91f599fd9e90c38c7489f92af9ba53f06be7d7" +
        "80280004" + "c07d4c96");

    /// <summary>§2.3 Sample IPv6 Response: XOR-MAPPED-ADDRESS [2001:db8:1234:5678:11:2233:4455:6677]:32853.</summary>
    public static readonly byte[] ResponseIPv6 = Convert.FromHexString(
        "01010048" + "2112a442" + TransactionIdHex +
        "8022000b" + "7465737420766563746f7220" +
        "00200014" + "0002a1470113a9faa5d3f179bc25f4b5bed2b9d9" +
        "00080014" + "a382954e4be67bf11784c97c8292c275bfe3ed41" +
        "80280004" + "c8fb0b4c");
}
