using System.Text;
using System.Text.Json.Nodes;

namespace Raven.ApiServer.Apply;

/// <summary>
/// A set of field paths in the managedFields FieldsV1 form: a tree keyed by <c>f:name</c> (a field),
/// <c>k:{"name":"c"}</c> (an item of a keyed list), <c>v:"x"</c> (an item of a set list); a node that is itself in the
/// set is a member (written <c>".": {}</c> when it also has children, or as a bare <c>{}</c> leaf).
/// </summary>
internal sealed class FieldSet
{
    private readonly SortedDictionary<string, FieldSet> _children = new(StringComparer.Ordinal);

    public bool Member { get; private set; }

    public bool IsEmpty => !Member && _children.Count == 0;

    public IReadOnlyDictionary<string, FieldSet> Children => _children;

    public void Insert(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var element in path)
        {
            if (!node._children.TryGetValue(element, out var child))
            {
                child = new FieldSet();
                node._children[element] = child;
            }

            node = child;
        }

        node.Member = true;
    }

    public bool Contains(IReadOnlyList<string> path)
    {
        var node = this;
        foreach (var element in path)
        {
            if (!node._children.TryGetValue(element, out var child)) return false;
            node = child;
        }

        return node.Member;
    }

    /// <summary>Removes the path (only that member; its children stay) and prunes empty branches.</summary>
    public void Remove(IReadOnlyList<string> path) => Remove(path, 0);

    private bool Remove(IReadOnlyList<string> path, int at)
    {
        if (at == path.Count)
        {
            Member = false;
        }
        else if (_children.TryGetValue(path[at], out var child) && child.Remove(path, at + 1))
        {
            _children.Remove(path[at]);
        }

        return IsEmpty;
    }

    /// <summary>Every member path, parents before children.</summary>
    public IEnumerable<IReadOnlyList<string>> Members() => Members([]);

    private IEnumerable<IReadOnlyList<string>> Members(List<string> prefix)
    {
        if (Member) yield return prefix.ToArray();
        foreach (var (key, child) in _children)
        {
            prefix.Add(key);
            foreach (var path in child.Members(prefix)) yield return path;
            prefix.RemoveAt(prefix.Count - 1);
        }
    }

    public FieldSet Clone()
    {
        var copy = new FieldSet { Member = Member };
        foreach (var (key, child) in _children) copy._children[key] = child.Clone();
        return copy;
    }

    public JsonObject ToFieldsV1()
    {
        var obj = new JsonObject();
        if (Member && _children.Count > 0) obj["."] = new JsonObject();
        foreach (var (key, child) in _children) obj[key] = child.ToFieldsV1();
        return obj;
    }

    public static FieldSet FromFieldsV1(JsonObject? fields)
    {
        var set = new FieldSet();
        if (fields is null) return set;
        Read(set, fields);
        return set;
    }

    private static void Read(FieldSet node, JsonObject fields)
    {
        if (fields.Count == 0) node.Member = true;
        foreach (var (key, value) in fields)
        {
            if (key == ".")
            {
                node.Member = true;
                continue;
            }

            var child = new FieldSet();
            Read(child, value as JsonObject ?? []);
            node._children[key] = child;
        }
    }

    /// <summary>A path as structured-merge-diff prints it: <c>.spec.containers[name="c"].image</c>, <c>.metadata.finalizers[="x"]</c>.</summary>
    public static string Display(IReadOnlyList<string> path)
    {
        var text = new StringBuilder();
        foreach (var element in path)
        {
            if (element.StartsWith("f:", StringComparison.Ordinal))
            {
                text.Append('.').Append(element, 2, element.Length - 2);
            }
            else if (element.StartsWith("k:", StringComparison.Ordinal) && JsonNode.Parse(element[2..]) is JsonObject key)
            {
                text.Append('[').Append(string.Join(",", key.Select(k => $"{k.Key}={k.Value?.ToJsonString() ?? "null"}"))).Append(']');
            }
            else if (element.StartsWith("v:", StringComparison.Ordinal))
            {
                text.Append("[=").Append(element, 2, element.Length - 2).Append(']');
            }
            else
            {
                text.Append('[').Append(element).Append(']');
            }
        }

        return text.ToString();
    }
}
