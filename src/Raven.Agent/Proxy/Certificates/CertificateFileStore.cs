using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Raven.Agent.Proxy.Certificates;

/// <summary>
/// Keeps one certificate and its private key as PEM in &lt;stateDir&gt;/certs/&lt;prefix&gt;-current.pem, readable by the
/// owner only. Writes go to a temporary file that is renamed over the old one, so a crash never leaves half a file.
/// </summary>
public sealed class CertificateFileStore
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public CertificateFileStore(string stateDirectory, string filePrefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateDirectory);
        ArgumentException.ThrowIfNullOrEmpty(filePrefix);
        Directory = Path.Combine(stateDirectory, "certs");
        CurrentPath = Path.Combine(Directory, filePrefix + "-current.pem");
    }

    public string Directory { get; }

    public string CurrentPath { get; }

    /// <summary>The stored certificate with its key, or null when there is none or it cannot be read (then a new one is
    /// requested; the reason is returned for the log).</summary>
    public X509Certificate2? Load(out string? problem)
    {
        problem = null;
        if (!File.Exists(CurrentPath))
        {
            return null;
        }

        try
        {
            var pem = File.ReadAllText(CurrentPath);
            using var withEphemeralKey = X509Certificate2.CreateFromPem(pem, pem);
            // Re-import so the key is usable by SslStream on every platform.
            return X509CertificateLoader.LoadPkcs12(withEphemeralKey.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            problem = $"{CurrentPath} is unusable: {e.Message}";
            return null;
        }
    }

    /// <summary>Stores <paramref name="certificatePem"/> (leaf first, then any chain) with <paramref name="key"/>.</summary>
    public void Save(string certificatePem, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        ArgumentNullException.ThrowIfNull(key);
        if (!OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory);
        }

        var temporary = CurrentPath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(certificatePem.TrimEnd() + "\n");
            writer.Write(key.ExportPkcs8PrivateKeyPem() + "\n");
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode is only applied to new files; a leftover temporary file keeps its mode otherwise.
            File.SetUnixFileMode(temporary, OwnerOnly);
        }

        File.Move(temporary, CurrentPath, overwrite: true);
    }

    /// <summary>Removes the stored certificate (used when it can never be valid again, e.g. issued by another CA).</summary>
    public void Delete()
    {
        if (File.Exists(CurrentPath))
        {
            File.Delete(CurrentPath);
        }
    }
}
