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

        // Written beside the file and renamed over it, so a viewer never loads half a drawing (--watch rewrites it).
        var partial = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Path.GetFileName(path) + ".partial");
        try
        {
            var failure = await WriteToAsync(dot, format, partial, cancellationToken).ConfigureAwait(false);
            if (failure is null)
            {
                File.Move(partial, path, overwrite: true);
            }

            return failure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CommandFailedException)
        {
            return $"{path}: {ex.Message}";
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private async Task<string?> WriteToAsync(string dot, string format, string file, CancellationToken cancellationToken)
    {
        if (format.Length == 0)
        {
            await File.WriteAllTextAsync(file, dot, cancellationToken).ConfigureAwait(false);
            return null;
        }

        var program = ProcessCommandRunner.Resolve(dotProgram);
        if (!File.Exists(program))
        {
            return $"Graphviz `{dotProgram}` is not installed (needed for .{format}): {MissingDotHint}";
        }

        var result = await runner.RunAsync(new CommandLine(program, $"-T{format}", "-o", file).WithInput(dot), cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? null : $"{dotProgram} -T{format} failed (exit {result.ExitCode}): {FirstLine(result.StandardError)}";
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "(no message)";
}
