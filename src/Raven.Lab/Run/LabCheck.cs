namespace Raven.Lab.Run;

/// <summary>
/// One line of the lab's result table. <see cref="NotApplicable"/>: the check cannot pass with this backend for a
/// reason the check observed and names in <see cref="Detail"/> (it is not failed, and shows N/A, never PASS).
/// </summary>
public sealed record LabCheck(string Name, bool Passed, string Detail, string Figure = "")
{
    public bool NotApplicable { get; init; }

    private string Result => NotApplicable ? "N/A" : Passed ? "PASS" : "FAIL";

    public static string Table(IReadOnlyList<LabCheck> checks)
    {
        var nameWidth = Math.Max(5, checks.Max(c => c.Name.Length));
        var figureWidth = Math.Max(6, checks.Max(c => c.Figure.Length));
        var lines = new List<string>
        {
            $"{"check".PadRight(nameWidth)}  result  {"figure".PadRight(figureWidth)}  detail",
            $"{new string('-', nameWidth)}  ------  {new string('-', figureWidth)}  ------",
        };
        lines.AddRange(checks.Select(c => $"{c.Name.PadRight(nameWidth)}  {c.Result,-6}  {c.Figure.PadRight(figureWidth)}  {c.Detail}"));
        return string.Join('\n', lines);
    }
}
