using System.Runtime.Versioning;
using System.Text;

namespace Raven.Agent.Tunnel.WireGuard;

/// <summary>
/// Persists this node's WireGuard private key so that a restart keeps the public key already published in the
/// Gateway (upstream generates a new key on every start). The file holds one base64 line and has mode 0600.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class PrivateKeyStore
{
    public const string DefaultFileName = "wireguard-private.key";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnly | UnixFileMode.UserExecute;

    public PrivateKeyStore(string stateDirectory, string fileName = DefaultFileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        StateDirectory = stateDirectory;
        FilePath = Path.Combine(stateDirectory, fileName);
    }

    public string StateDirectory { get; }

    public string FilePath { get; }

    /// <summary>Returns the stored key, or generates, stores and returns a new one when there is none.</summary>
    /// <exception cref="InvalidDataException">The key file exists but does not hold a valid key.</exception>
    public WireGuardKey LoadOrCreate()
    {
        if (File.Exists(FilePath))
        {
            return Load();
        }

        var key = WireGuardKey.GeneratePrivateKey();
        Save(key);
        return key;
    }

    /// <summary>Returns the stored key, or null when there is none yet (never creates one).</summary>
    /// <exception cref="InvalidDataException">The key file exists but does not hold a valid key.</exception>
    public WireGuardKey? LoadExisting() => File.Exists(FilePath) ? Load() : null;

    private WireGuardKey Load()
    {
        var text = File.ReadAllText(FilePath, Encoding.ASCII).Trim();
        if (!WireGuardKey.TryParseBase64(text, out var key))
        {
            // Never replace a corrupt key silently: peers know the old public key, and the operator must decide.
            throw new InvalidDataException(
                $"WireGuard private key file {FilePath} is corrupt: expected one base64 line encoding {WireGuardKey.Length} bytes. " +
                "Delete it to generate a new key (the node's public key will change).");
        }

        if ((File.GetUnixFileMode(FilePath) & ~OwnerOnly) != 0)
        {
            File.SetUnixFileMode(FilePath, OwnerOnly);
        }

        return key;
    }

    private void Save(WireGuardKey key)
    {
        Directory.CreateDirectory(StateDirectory, OwnerOnlyDirectory);
        var temporary = FilePath + ".tmp";
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = OwnerOnly,
        };
        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(Encoding.ASCII.GetBytes(key.ToBase64() + "\n"));
            stream.Flush(flushToDisk: true);
        }

        // The create mode is masked by umask and an old temporary file keeps its mode, so set it explicitly.
        File.SetUnixFileMode(temporary, OwnerOnly);
        File.Move(temporary, FilePath, overwrite: false);
    }
}
