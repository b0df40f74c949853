using System.Security.Cryptography;
using System.Text;
using Raven.Agent.Linux;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// The charon a supervisor started: its PID and start time (so a reused PID is never taken for it) and a digest
/// of the strongswan.conf it was started with (charon reads its settings once, so a changed file needs a restart).
/// </summary>
internal sealed record CharonRecord(ProcessIdentity Process, string SettingsDigest)
{
    public static string DigestOf(string settings) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(settings)));
}

/// <summary>Reads and writes <see cref="CharonRecord"/> as two lines: "PID STARTTIME" and the settings digest.</summary>
internal static class CharonIdentityFile
{
    public static CharonRecord? Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return lines.Length >= 2 && ProcessIdentity.Parse(lines[0]) is { } process && lines[1].Length > 0
            ? new CharonRecord(process, lines[1].Trim())
            : null;
    }

    public static void Write(string path, CharonRecord record)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, $"{record.Process}\n{record.SettingsDigest}\n");
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes the record; nothing to do when it (or its directory: charon never ran here) is missing.</summary>
    public static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
