using System.Globalization;
using System.Text.Json.Serialization;

namespace Raven.Cli.Diagnose;

/// <summary>The outcome of one check on one subject. Remedy is set for WARN and FAIL only: one line saying what to do.</summary>
public sealed record CheckResult(string Check, string Status, string Message, string? Remedy = null)
{
    public const string Pass = "PASS";
    public const string Warn = "WARN";
    public const string Fail = "FAIL";

    public static CheckResult Passed(string check, string message) => new(check, Pass, message);

    public static CheckResult Warning(string check, string message, string remedy) => new(check, Warn, message, remedy);

    public static CheckResult Failed(string check, string message, string remedy) => new(check, Fail, message, remedy);
}

/// <summary>Every result in check order, and the counts an operator reads first.</summary>
public sealed record DiagnoseReport(IReadOnlyList<CheckResult> Results)
{
    public int Passed => Results.Count(r => r.Status == CheckResult.Pass);

    public int Warnings => Results.Count(r => r.Status == CheckResult.Warn);

    public int Failed => Results.Count(r => r.Status == CheckResult.Fail);

    /// <summary>The process exit code: a FAIL anywhere makes `raven diagnose` fail, so scripts and CI can gate on it.</summary>
    [JsonIgnore]
    public int ExitCode => Failed > 0 ? 1 : 0;

    public string Summary => string.Create(CultureInfo.InvariantCulture, $"{Passed} passed, {Warnings} warnings, {Failed} failed");
}
