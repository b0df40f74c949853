using Raven.Agent.Linux.Processes;

namespace Raven.Cli.Status;

/// <summary>
/// Writes the graph where -o says, in the format its extension names: .dot/.gv as DOT text, .svg and .png laid out
/// by Graphviz `dot` (Debian package graphviz) through the project's one process runner.
/// </summary>
public sealed class GraphFile(ICommandRunner runner, string dotProgram = "dot")
{
    public const string MissingDotHint = "install Graphviz (Debian: apt-get install --no-install-recommends graphviz), or write a .dot file";

    /// <summary>The Graphviz output format for a file name, "" for DOT text; null when the extension is not supported.</summary>
    public static string? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".dot" or ".gv" => "",
        ".svg" => "svg",
        ".png" => "png",
        _ => null,
    };

    /// <returns>null on success, else the one-line reason it could not be written.</returns>
    public async Task<string?> WriteAsync(string dot, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dot);
        var format = FormatOf(path);
        if (format is null)
        {
            return $"{path}: the file name must end in .dot, .gv, .svg or .png (the format follows it)";
        }

        try
        {
            if (format.Length == 0)
            {
                await File.WriteAllTextAsync(path, dot, cancellationToken).ConfigureAwait(false);
                return null;
            }

            var program = ProcessCommandRunner.Resolve(dotProgram);
            if (!File.Exists(program))
            {
                return $"Graphviz `{dotProgram}` is not installed (needed for .{format}): {MissingDotHint}";
            }

            var result = await runner.RunAsync(new CommandLine(program, $"-T{format}", "-o", path).WithInput(dot), cancellationToken).ConfigureAwait(false);
            return result.Succeeded ? null : $"{dotProgram} -T{format} failed (exit {result.ExitCode}): {FirstLine(result.StandardError)}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CommandFailedException)
        {
            return $"{path}: {ex.Message}";
        }
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "(no message)";
}
