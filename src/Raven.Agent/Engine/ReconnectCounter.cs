using Raven.Agent.Tunnel;

namespace Raven.Agent.Engine;

/// <summary>
/// Counts, per connection id, how often a connection came up again after it had been up and then was not (up → down
/// or connecting → up), as seen in successive backend readings. A connection that leaves the listing is forgotten: a
/// peer removed and added again starts from zero. Not thread-safe; one reader feeds it.
/// </summary>
public sealed class ReconnectCounter
{
    private readonly Dictionary<string, (bool WasUp, bool Lost, int Count)> _seen = new(StringComparer.Ordinal);

    /// <summary>Takes one reading; returns the counts after it.</summary>
    public IReadOnlyDictionary<string, int> Observe(IReadOnlyList<TunnelConnection> connections)
    {
        ArgumentNullException.ThrowIfNull(connections);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var connection in connections)
        {
            present.Add(connection.Id);
            var (wasUp, lost, count) = _seen.GetValueOrDefault(connection.Id);
            var up = connection.State == TunnelConnectionState.Up;
            if (up && lost)
            {
                count++;
                lost = false;
            }
            else if (!up && wasUp)
            {
                lost = true;
            }

            _seen[connection.Id] = (wasUp || up, lost, count);
        }

        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _seen.Remove(gone);
        }

        return _seen.ToDictionary(e => e.Key, e => e.Value.Count, StringComparer.Ordinal);
    }
}
