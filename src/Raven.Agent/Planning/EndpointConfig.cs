namespace Raven.Agent.Planning;

/// <summary>
/// A tunnel endpoint's <c>config</c> map, sorted so plans compare by value. The planner never interprets it; the
/// backend's <see cref="ITunnelProfile"/> says whether it is usable.
/// </summary>
public sealed record EndpointConfig(ValueList<KeyValuePair<string, string>> Entries)
{
    public static EndpointConfig Empty { get; } = new(ValueList<KeyValuePair<string, string>>.Empty);

    public string? this[string key] => Entries.Where(e => e.Key == key).Select(e => e.Value).FirstOrDefault();

    public static EndpointConfig From(IReadOnlyDictionary<string, string>? config) =>
        config is null or { Count: 0 } ? Empty
        : new(config.OrderBy(e => e.Key, StringComparer.Ordinal).ToValueList());

    public override string ToString() => string.Join(",", Entries.Select(e => e.Key));
}
