using System.Runtime.Versioning;
using Raven.Agent.Tunnel.WireGuard;

namespace Raven.Agent.Tests.WireGuard;

[UnsupportedOSPlatform("windows")]
public sealed class PrivateKeyStoreTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "rvt-wg-keys-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Creates_a_key_file_readable_only_by_the_owner()
    {
        var store = new PrivateKeyStore(Path.Combine(directory, "state"));

        var key = store.LoadOrCreate();

        File.Exists(store.FilePath).Should().BeTrue();
        File.GetUnixFileMode(store.FilePath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.ReadAllText(store.FilePath).Should().Be(key.ToBase64() + "\n");
    }

    [Fact]
    public void Reuses_the_stored_key_on_restart()
    {
        var first = new PrivateKeyStore(directory).LoadOrCreate();

        var second = new PrivateKeyStore(directory).LoadOrCreate();

        second.Should().Be(first);
    }

    [Fact]
    public void Loads_a_key_file_written_by_an_earlier_agent()
    {
        // The format every released agent wrote: one base64 line, a line feed, mode 0600.
        Directory.CreateDirectory(directory);
        var store = new PrivateKeyStore(directory);
        File.WriteAllText(store.FilePath, "aHCSZBJ5nlyZJj4M5MKlgr0b49ImxPnP7RgtCVzqoWo=\n");
        File.SetUnixFileMode(store.FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var key = store.LoadOrCreate();

        key.ToBase64().Should().Be("aHCSZBJ5nlyZJj4M5MKlgr0b49ImxPnP7RgtCVzqoWo=");
        key.PublicKey().ToBase64().Should().Be("zAEItlKnKc/kMHFhSb3hZdMHZC2l/UjfBhD+5PWfbEQ=");
        File.ReadAllText(store.FilePath).Should().Be("aHCSZBJ5nlyZJj4M5MKlgr0b49ImxPnP7RgtCVzqoWo=\n");
    }

    [Fact]
    public void Corrupt_file_gives_an_error_naming_the_file_and_is_kept()
    {
        Directory.CreateDirectory(directory);
        var store = new PrivateKeyStore(directory);
        File.WriteAllText(store.FilePath, "not a key\n");

        var act = () => store.LoadOrCreate();

        act.Should().Throw<InvalidDataException>().WithMessage($"*{store.FilePath}*corrupt*");
        File.ReadAllText(store.FilePath).Should().Be("not a key\n");
    }

    [Fact]
    public void Tightens_a_key_file_with_loose_permissions()
    {
        var store = new PrivateKeyStore(directory);
        var key = store.LoadOrCreate();
        File.SetUnixFileMode(store.FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        store.LoadOrCreate().Should().Be(key);

        File.GetUnixFileMode(store.FilePath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public void Reading_without_a_key_file_creates_nothing()
    {
        var store = new PrivateKeyStore(Path.Combine(directory, "state"));

        store.LoadExisting().Should().BeNull();

        Directory.Exists(store.StateDirectory).Should().BeFalse();
    }

    [Fact]
    public void Reading_returns_the_stored_key()
    {
        var store = new PrivateKeyStore(directory);
        var key = store.LoadOrCreate();

        new PrivateKeyStore(directory).LoadExisting().Should().Be(key);
    }
}
