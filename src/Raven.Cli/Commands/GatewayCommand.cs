using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Raven.Api;
using Raven.Api.Conversion;
using Raven.Api.Json;
using Raven.Api.Manifests;

namespace Raven.Cli.Commands;

/// <summary>`raven gateway validate|convert`: judge and convert Gateway manifests offline, as the API server would.</summary>
internal static class GatewayCommand
{
    public static Command Create()
    {
        var command = new Command("gateway", "Work with Gateway manifests offline, judged exactly as the API server admits them.");
        command.Subcommands.Add(CreateValidate());
        command.Subcommands.Add(CreateConvert());
        return command;
    }

    private static Option<string> FileOption() => new("--filename", "-f")
    {
        Description = "Manifest to read (YAML or JSON, several documents allowed); '-' reads standard input.",
        Required = true,
    };

    private static Command CreateValidate()
    {
        var file = FileOption();
        var command = new Command("validate", "Print one verdict per document with every error and warning; exit 1 if any document is invalid.") { file };
        command.SetAction(parse => Validate(parse.GetValue(file)!, Console.Out));
        return command;
    }

    private static Command CreateConvert()
    {
        var file = FileOption();
        var to = new Option<string>("--to") { Description = "Target version.", Required = true };
        to.AcceptOnlyFromAmong(WellKnown.V1Beta1, WellKnown.V1Alpha1);
        var command = new Command("convert", "Print the Gateways converted to another version (lossless round trip).") { file, to };
        command.SetAction(parse => Convert(parse.GetValue(file)!, parse.GetValue(to)!, Console.Out, Console.Error));
        return command;
    }

    internal static int Validate(string path, TextWriter output)
    {
        if (!TryRead(path, output, out var text))
        {
            return 2;
        }

        var manifests = GatewayManifestReader.Read(text);
        if (manifests.Count == 0)
        {
            output.WriteLine($"{path}: no objects found");
            return 1;
        }

        foreach (var manifest in manifests)
        {
            var verdict = manifest.Skipped ? "skipped" : manifest.IsValid ? "valid" : "INVALID";
            output.WriteLine($"{manifest.Title}: {verdict}");
            foreach (var problem in manifest.Errors)
            {
                output.WriteLine($"  error   {problem}");
            }

            foreach (var problem in manifest.Warnings)
            {
                output.WriteLine($"  warning {problem}");
            }
        }

        var invalid = manifests.Count(m => !m.Skipped && !m.IsValid);
        output.WriteLine(invalid == 0 ? $"{manifests.Count(m => m.IsValid)} valid Gateway(s)" : $"{invalid} invalid document(s)");
        return invalid == 0 ? 0 : 1;
    }

    internal static int Convert(string path, string toVersion, TextWriter output, TextWriter errors)
    {
        if (!TryRead(path, errors, out var text))
        {
            return 2;
        }

        var converted = new List<JsonNode?>();
        var failed = 0;
        foreach (var manifest in GatewayManifestReader.Read(text))
        {
            if (manifest.Skipped)
            {
                continue;
            }

            if (manifest.Gateway is null || manifest.Errors.Any())
            {
                failed++;
                errors.WriteLine($"{manifest.Title}: not converted");
                foreach (var problem in manifest.Errors)
                {
                    errors.WriteLine($"  error   {problem}");
                }

                continue;
            }

            object target = toVersion == WellKnown.V1Alpha1 ? GatewayConversion.ToV1Alpha1(manifest.Gateway) : manifest.Gateway;
            converted.Add(JsonSerializer.SerializeToNode(target, target.GetType(), RavenJson.Options));
        }

        output.Write(YamlWriter.Write(converted));
        return failed == 0 ? 0 : 1;
    }

    private static bool TryRead(string path, TextWriter errors, out string text)
    {
        try
        {
            text = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"cannot read {path}: {ex.Message}");
            text = "";
            return false;
        }
    }
}
