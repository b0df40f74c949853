using Raven.Cli.Commands;

namespace Raven.Cli.Tests;

public sealed class AgentPublicKeyCommandTests : IDisposable
{
    // RFC 7748 section 6.1, Alice's key pair, in WireGuard's base64 form.
    private const string RfcPrivateKey = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=";
    private const string RfcPublicKey = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=";

    private readonly string directory = Directory.CreateTempSubdirectory("raven-cli-key-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Prints_the_X25519_public_key_of_the_stored_private_key()
    {
        File.WriteAllText(Path.Combine(directory, "wireguard-private.key"), RfcPrivateKey + "\n");
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = AgentCommand.PrintPublicKey(directory, output, error);

        exit.Should().Be(0, error.ToString());
        output.ToString().Should().Be(RfcPublicKey + Environment.NewLine);
    }

    [Fact]
    public void Without_a_stored_key_it_fails_naming_the_file_and_creates_none()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = AgentCommand.PrintPublicKey(directory, output, error);

        exit.Should().Be(1);
        output.ToString().Should().BeEmpty();
        error.ToString().Should().Contain(Path.Combine(directory, "wireguard-private.key")).And.Contain("does not exist");
        Directory.EnumerateFileSystemEntries(directory).Should().BeEmpty();
    }

    [Fact]
    public void A_corrupt_key_file_is_one_clear_error()
    {
        File.WriteAllText(Path.Combine(directory, "wireguard-private.key"), "not a key\n");
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = AgentCommand.PrintPublicKey(directory, output, error);

        exit.Should().Be(1);
        error.ToString().Should().StartWith("raven agent public-key: ").And.Contain("corrupt");
    }
}
