using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Raven.Kube.Observability;

/// <summary>
/// Counters and gauges in Prometheus' text format (prometheus-net is not available here). Label values are
/// passed in the order the metric declared its label names.
/// </summary>
public sealed class MetricsRegistry
{
    private readonly ConcurrentDictionary<string, Family> _families = new(StringComparer.Ordinal);

    public Family Counter(string name, string help, params string[] labels) => Declare(name, help, "counter", labels);

    public Family Gauge(string name, string help, params string[] labels) => Declare(name, help, "gauge", labels);

    public string Render()
    {
        var text = new StringBuilder();
        foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            family.Render(text);
        }

        return text.ToString();
    }

    private Family Declare(string name, string help, string type, string[] labels) =>
        _families.GetOrAdd(name, _ => new Family(name, help, type, labels));

    public sealed class Family(string name, string help, string type, string[] labelNames)
    {
        private readonly ConcurrentDictionary<string, double> _values = new(StringComparer.Ordinal);

        public string Name => name;

        public void Inc(params string[] labels) => Add(1, labels);

        public void Add(double amount, params string[] labels) => _values.AddOrUpdate(Key(labels), amount, (_, v) => v + amount);

        public void Set(double value, params string[] labels) => _values[Key(labels)] = value;

        public void Remove(params string[] labels) => _values.TryRemove(Key(labels), out _);

        public double Value(params string[] labels) => _values.TryGetValue(Key(labels), out var v) ? v : 0;

        internal void Render(StringBuilder text)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (key, value) in _values.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.Append(name).Append(key).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        private string Key(string[] labels)
        {
            if (labels.Length != labelNames.Length)
            {
                throw new ArgumentException($"metric {name} has labels ({string.Join(",", labelNames)}), got {labels.Length} values");
            }

            if (labels.Length == 0)
            {
                return "";
            }

            var pairs = labelNames.Zip(labels, (n, v) => $"{n}=\"{Escape(v)}\"");
            return "{" + string.Join(",", pairs) + "}";
        }

        private static string Escape(string value) =>
            value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }
}
