namespace Raven.Agent.Tests.Linux;

internal static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static string Of(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
