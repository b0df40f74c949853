using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>
/// Keeps one JSON file per object under a data directory so a restarted server finds its objects again. A file is
/// named by the SHA-256 of its object's name, so the name's length (up to 253 characters) never meets the file
/// system's 255-byte limit; the object inside says what it is.
/// </summary>
internal sealed class FileObjectStorage(string dataDir)
{
    private readonly string _objects = Path.Combine(dataDir, "objects");
    private readonly string _counter = Path.Combine(dataDir, "resource-version");

    public void Save(string typeKey, string key, string json, long resourceVersion)
    {
        var path = PathOf(typeKey, key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        WriteAtomically(path, json);
        WriteAtomically(_counter, resourceVersion.ToString(CultureInfo.InvariantCulture));
    }

    public void Delete(string typeKey, string key, long resourceVersion)
    {
        File.Delete(PathOf(typeKey, key));
        WriteAtomically(_counter, resourceVersion.ToString(CultureInfo.InvariantCulture));
    }

    public long LoadCounter() =>
        File.Exists(_counter) && long.TryParse(File.ReadAllText(_counter).Trim(), CultureInfo.InvariantCulture, out var rv) ? rv : 0;

    /// <summary>Every stored object as (typeKey, object); unreadable files are skipped, never fatal.</summary>
    public IEnumerable<(string TypeKey, JsonObject Object)> LoadAll()
    {
        if (!Directory.Exists(_objects)) yield break;
        foreach (var file in Directory.EnumerateFiles(_objects, "*.json", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(_objects, file).Split(Path.DirectorySeparatorChar);
            if (relative.Length != 4) continue;
            JsonObject? obj;
            try
            {
                obj = JsonNode.Parse(File.ReadAllText(file)) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                continue;
            }

            if (obj is null) continue;
            var group = relative[0] == "core" ? "" : relative[0];
            var typeKey = group + "/" + relative[1];
            var meta = obj["metadata"] as JsonObject;
            var ns = meta?["namespace"] is JsonValue n && n.TryGetValue<string>(out var nsText) ? nsText : "";
            var name = meta?["name"] is JsonValue v && v.TryGetValue<string>(out var nameText) ? nameText : null;
            if (name is null) continue;
            var expected = PathOf(typeKey, StoredObject.KeyOf(ns, name));
            if (!string.Equals(Path.GetFullPath(file), Path.GetFullPath(expected), StringComparison.Ordinal))
            {
                // A file from before names were hashed: move it to where Save and Delete look for it.
                Directory.CreateDirectory(Path.GetDirectoryName(expected)!);
                File.Move(file, expected, overwrite: true);
            }

            yield return (typeKey, obj);
        }
    }

    private string PathOf(string typeKey, string key)
    {
        var slash = typeKey.IndexOf('/', StringComparison.Ordinal);
        var group = slash == 0 ? "core" : typeKey[..slash];
        var plural = typeKey[(slash + 1)..];
        var keySlash = key.IndexOf('/', StringComparison.Ordinal);
        var ns = keySlash == 0 ? "_cluster" : key[..keySlash];
        var name = key[(keySlash + 1)..];
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        return Path.Combine(_objects, group, plural, ns, hash + ".json");
    }

    private static void WriteAtomically(string path, string content)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}
