using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>
/// Turns the protobuf bodies kubectl's typed clients send (create namespace/configmap/secret, certificate approve)
/// into JSON, using a small field table per kind. Kinds without a table are refused with 415.
/// </summary>
internal static class ProtobufBody
{
    private enum K { Str, Bytes, Int, Bool, Msg, MapStr, MapBytes, RepStr, RepMsg, Time, IntOrString }

    private sealed record F(string Name, K Kind, Dictionary<int, F>? Sub = null);

    private static readonly Dictionary<int, F> OwnerRef = new()
    {
        [1] = new("kind", K.Str), [3] = new("name", K.Str), [4] = new("uid", K.Str), [5] = new("apiVersion", K.Str),
        [6] = new("controller", K.Bool), [7] = new("blockOwnerDeletion", K.Bool),
    };

    private static readonly Dictionary<int, F> Meta = new()
    {
        [1] = new("name", K.Str), [2] = new("generateName", K.Str), [3] = new("namespace", K.Str), [5] = new("uid", K.Str),
        [6] = new("resourceVersion", K.Str), [7] = new("generation", K.Int), [8] = new("creationTimestamp", K.Time),
        [11] = new("labels", K.MapStr), [12] = new("annotations", K.MapStr), [13] = new("ownerReferences", K.RepMsg, OwnerRef),
        [14] = new("finalizers", K.RepStr),
    };

    private static readonly Dictionary<int, F> CsrCondition = new()
    {
        [1] = new("type", K.Str), [2] = new("reason", K.Str), [3] = new("message", K.Str), [4] = new("lastUpdateTime", K.Time),
        [5] = new("lastTransitionTime", K.Time), [6] = new("status", K.Str),
    };

    private static readonly Dictionary<int, F> ServicePort = new()
    {
        [1] = new("name", K.Str), [2] = new("protocol", K.Str), [3] = new("port", K.Int), [4] = new("targetPort", K.IntOrString),
        [5] = new("nodePort", K.Int), [6] = new("appProtocol", K.Str),
    };

    private static readonly Dictionary<string, Dictionary<int, F>> Kinds = new(StringComparer.Ordinal)
    {
        ["Service"] = new()
        {
            [1] = new("metadata", K.Msg, Meta),
            [2] = new("spec", K.Msg, new()
            {
                [1] = new("ports", K.RepMsg, ServicePort), [2] = new("selector", K.MapStr), [3] = new("clusterIP", K.Str),
                [4] = new("type", K.Str), [5] = new("externalIPs", K.RepStr), [7] = new("sessionAffinity", K.Str),
                [8] = new("loadBalancerIP", K.Str), [10] = new("externalName", K.Str),
            }),
        },
        ["Namespace"] = new() { [1] = new("metadata", K.Msg, Meta), [2] = new("spec", K.Msg, new() { [1] = new("finalizers", K.RepStr) }) },
        ["ConfigMap"] = new() { [1] = new("metadata", K.Msg, Meta), [2] = new("data", K.MapStr), [3] = new("binaryData", K.MapBytes), [4] = new("immutable", K.Bool) },
        ["Secret"] = new()
        {
            [1] = new("metadata", K.Msg, Meta), [2] = new("data", K.MapBytes), [3] = new("type", K.Str), [4] = new("stringData", K.MapStr),
            [5] = new("immutable", K.Bool),
        },
        ["CertificateSigningRequest"] = new()
        {
            [1] = new("metadata", K.Msg, Meta),
            [2] = new("spec", K.Msg, new()
            {
                [1] = new("request", K.Bytes), [2] = new("username", K.Str), [3] = new("uid", K.Str), [4] = new("groups", K.RepStr),
                [5] = new("usages", K.RepStr), [7] = new("signerName", K.Str), [8] = new("expirationSeconds", K.Int),
            }),
            [3] = new("status", K.Msg, new() { [1] = new("conditions", K.RepMsg, CsrCondition), [2] = new("certificate", K.Bytes) }),
        },
    };

    private static readonly Dictionary<int, F> AccessReviewSpec = new()
    {
        [1] = new("resourceAttributes", K.Msg, new()
        {
            [1] = new("namespace", K.Str), [2] = new("verb", K.Str), [3] = new("group", K.Str), [4] = new("version", K.Str),
            [5] = new("resource", K.Str), [6] = new("subresource", K.Str), [7] = new("name", K.Str),
        }),
        [2] = new("nonResourceAttributes", K.Msg, new() { [1] = new("path", K.Str), [2] = new("verb", K.Str) }),
    };

    // kubectl auth can-i / whoami and kubectl create token send these typed requests as protobuf.
    private static readonly Dictionary<string, Dictionary<int, F>> ReviewKinds = new(StringComparer.Ordinal)
    {
        ["SelfSubjectAccessReview"] = new() { [1] = new("metadata", K.Msg, Meta), [2] = new("spec", K.Msg, AccessReviewSpec) },
        ["SelfSubjectReview"] = new() { [1] = new("metadata", K.Msg, Meta) },
        ["TokenRequest"] = new()
        {
            [1] = new("metadata", K.Msg, Meta),
            [2] = new("spec", K.Msg, new()
            {
                [1] = new("audiences", K.RepStr), [4] = new("expirationSeconds", K.Int),
                [3] = new("boundObjectRef", K.Msg, new() { [1] = new("kind", K.Str), [2] = new("apiVersion", K.Str), [3] = new("name", K.Str), [4] = new("uid", K.Str) }),
            }),
        },
    };

    private static readonly byte[] Magic = [(byte)'k', (byte)'8', (byte)'s', 0];

    /// <exception cref="ApiException">415 for kinds without a table, 400 for malformed bytes.</exception>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        try
        {
            if (!body.StartsWith(Magic)) throw ApiException.BadRequest("protobuf body lacks the k8s envelope");
            var envelope = new ProtobufWire(body[Magic.Length..]);
            string apiVersion = "", kind = "";
            ReadOnlySpan<byte> raw = default;
            while (!envelope.End)
            {
                var field = envelope.Next(out _, out var bytes);
                if (field == 1)
                {
                    var typeMeta = new ProtobufWire(bytes);
                    while (!typeMeta.End)
                    {
                        var f = typeMeta.Next(out _, out var b);
                        if (f == 1) apiVersion = Encoding.UTF8.GetString(b);
                        if (f == 2) kind = Encoding.UTF8.GetString(b);
                    }
                }
                else if (field == 2)
                {
                    raw = bytes;
                }
            }

            if (!Kinds.TryGetValue(kind, out var table) && !ReviewKinds.TryGetValue(kind, out table))
            {
                throw new ApiException(415, "UnsupportedMediaType", $"protobuf bodies for kind \"{kind}\" are not supported; send application/json");
            }

            var obj = Message(raw, table);
            obj["apiVersion"] = apiVersion;
            obj["kind"] = kind;
            return obj;
        }
        catch (Exception e) when (e is FormatException or OverflowException or DecoderFallbackException)
        {
            throw ApiException.BadRequest($"the protobuf body cannot be decoded: {e.Message}");
        }
    }

    private static JsonObject Message(ReadOnlySpan<byte> data, Dictionary<int, F> table)
    {
        var obj = new JsonObject();
        var wire = new ProtobufWire(data);
        while (!wire.End)
        {
            var field = wire.Next(out var varint, out var bytes);
            if (!table.TryGetValue(field, out var f)) continue;
            switch (f.Kind)
            {
                case K.Str when bytes.Length > 0: obj[f.Name] = Encoding.UTF8.GetString(bytes); break;
                case K.Str: break;
                case K.Bytes: obj[f.Name] = Convert.ToBase64String(bytes); break;
                case K.Int: obj[f.Name] = (long)varint; break;
                case K.Bool: obj[f.Name] = varint != 0; break;
                case K.Msg: obj[f.Name] = Message(bytes, f.Sub!); break;
                case K.Time when TimeText(bytes) is { } time: obj[f.Name] = time; break;
                case K.Time: break;
                case K.IntOrString: obj[f.Name] = IntOrString(bytes); break;
                case K.RepStr: Append(obj, f.Name, Encoding.UTF8.GetString(bytes)); break;
                case K.RepMsg: Append(obj, f.Name, Message(bytes, f.Sub!)); break;
                default:
                    var (key, value) = MapEntry(bytes, f.Kind == K.MapBytes);
                    var map = obj[f.Name] as JsonObject ?? new JsonObject();
                    map[key] = value;
                    obj[f.Name] = map;
                    break;
            }
        }

        return obj;
    }

    private static void Append(JsonObject obj, string name, JsonNode value)
    {
        var list = obj[name] as JsonArray ?? new JsonArray();
        list.Add(value);
        obj[name] = list;
    }

    private static (string Key, string Value) MapEntry(ReadOnlySpan<byte> data, bool binary)
    {
        var wire = new ProtobufWire(data);
        string key = "", value = "";
        while (!wire.End)
        {
            var field = wire.Next(out _, out var bytes);
            if (field == 1) key = Encoding.UTF8.GetString(bytes);
            if (field == 2) value = binary ? Convert.ToBase64String(bytes) : Encoding.UTF8.GetString(bytes);
        }

        return (key, value);
    }

    private static JsonNode IntOrString(ReadOnlySpan<byte> data)
    {
        var wire = new ProtobufWire(data);
        long kind = 0, number = 0;
        var text = "";
        while (!wire.End)
        {
            var field = wire.Next(out var varint, out var bytes);
            if (field == 1) kind = (long)varint;
            if (field == 2) number = (long)varint;
            if (field == 3) text = Encoding.UTF8.GetString(bytes);
        }

        return kind == 1 ? JsonValue.Create(text) : JsonValue.Create(number);
    }

    private static string? TimeText(ReadOnlySpan<byte> data)
    {
        var wire = new ProtobufWire(data);
        long seconds = 0;
        while (!wire.End)
        {
            var field = wire.Next(out var varint, out _);
            if (field == 1) seconds = (long)varint;
        }

        if (seconds == 0) return null;
        return DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
