using Prometheus;

namespace Raven.Agent.Engine;

/// <summary>
/// Labelled gauge series that are replaced wholesale by each reading (<see cref="PathMetrics"/>, <see cref="ProbeMetrics"/>):
/// a series the new reading lacks is removed, so the label set stays what the agent has now. Callers may race (two
/// scrapes); each replacement is atomic.
/// </summary>
internal sealed class GaugeSeriesSet
{
    private readonly Dictionary<(Gauge Gauge, string Key), string[]> _shown = [];
    private readonly Lock _gate = new();

    public void Replace(IEnumerable<(Gauge Gauge, string[] Labels, double Value)> series)
    {
        var now = new Dictionary<(Gauge Gauge, string Key), (string[] Labels, double Value)>();
        foreach (var (gauge, labels, value) in series)
        {
            now[(gauge, string.Join('\u001f', labels))] = (labels, value);
        }

        lock (_gate)
        {
            foreach (var gone in _shown.Where(s => !now.ContainsKey(s.Key)).ToList())
            {
                gone.Key.Gauge.RemoveLabelled(gone.Value);
                _shown.Remove(gone.Key);
            }

            foreach (var (key, (labels, value)) in now)
            {
                key.Gauge.WithLabels(labels).Set(value);
                _shown[key] = labels;
            }
        }
    }
}
