using System.CommandLine;
using Raven.Controller.Config;

namespace Raven.Cli.Commands;

/// <summary>`raven config validate`: check a raven-cfg manifest offline and print the corrected form.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var command = new Command("config", "Work with the raven-cfg ConfigMap offline.");
        var file = new Option<string>("--filename", "-f") { Description = "raven-cfg manifest to read; '-' reads standard input.", Required = true };
        var validate = new Command("validate", "Name every line that kubectl or the controller would refuse, then print the corrected manifest; exit 1 if anything was wrong.") { file };
        validate.SetAction(parse => Validate(parse.GetValue(file)!, Console.Out, Console.Error));
        command.Subcommands.Add(validate);
        return command;
    }

    internal static int Validate(string path, TextWriter output, TextWriter errors)
    {
        string text;
        try
        {
            text = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"raven config validate: {ex.Message}");
            return 2;
        }

        var result = RavenCfgManifestCheck.Check(text);
        if (result.IsValid)
        {
            output.WriteLine($"{path}: valid");
            return 0;
        }

        foreach (var problem in result.Problems)
        {
            output.WriteLine($"{path}: {problem}");
        }

        if (result.Corrected != text.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            output.WriteLine();
            output.WriteLine("corrected form:");
            output.WriteLine(result.Corrected.TrimEnd('\n'));
        }

        return result.Problems.All(p => p.StartsWith("warning: ", StringComparison.Ordinal)) ? 0 : 1;
    }
}
