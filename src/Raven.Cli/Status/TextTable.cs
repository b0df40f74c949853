using System.Text;

namespace Raven.Cli.Status;

/// <summary>Plain columns aligned with spaces, as kubectl prints them: header row, then rows; the last column is not padded.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [headers];

    public int Rows => _rows.Count - 1;

    public void Add(params string[] cells) => _rows.Add(cells);

    public void WriteTo(StringBuilder output, string indent)
    {
        var widths = Enumerable.Range(0, headers.Length).Select(i => _rows.Max(r => i < r.Length ? r[i].Length : 0)).ToArray();
        foreach (var row in _rows)
        {
            var line = string.Join("   ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i])));
            output.Append(indent).Append(line.TrimEnd()).Append('\n');
        }
    }
}
