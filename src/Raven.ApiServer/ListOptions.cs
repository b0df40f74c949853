using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>The query parameters of a list or watch, already parsed and checked.</summary>
internal sealed record ListOptions(LabelSelector Labels, FieldSelector Fields, int Limit, string? ContinueKey, long? ResourceVersion)
{
    public bool Matches(ObjectFacts facts) => Labels.Matches(facts.Labels) && Fields.Matches(facts.Fields);

    public static string EncodeContinue(long rv, string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["rv"] = rv, ["start"] = lastKey }.ToJsonString()));

    public static string DecodeContinue(string token)
    {
        try
        {
            var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)));
            return node?["start"]?.GetValue<string>() ?? throw new FormatException();
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw ApiException.BadRequest($"continue key is not valid: {token}");
        }
    }

    public static long? ParseResourceVersion(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
            ? rv
            : throw ApiException.BadRequest($"invalid resource version \"{text}\"");
    }
}
