using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Raven.Api.Benchmark;

/// <summary>
/// One `raven benchmark SOURCE TARGET` request, carried by ConfigMap kube-system/raven-benchmark-ID (label
/// <see cref="Label"/>=<see cref="RequestRole"/>). The target's agent listens on <see cref="Port"/> of its node IP while
/// the request is live; the source's agent measures through the normal cross-domain path and creates the result
/// ConfigMap <see cref="ResultName"/>. Whoever may create ConfigMaps in kube-system may start one.
/// </summary>
public sealed partial record BenchmarkRequest
{
    public const string Label = "raven.openyurt.io/benchmark";
    public const string RequestRole = "request";
    public const string ResultRole = "result";
    public const string NamePrefix = "raven-benchmark-";

    /// <summary>TCP, on the target node's IP, only while a request addressed to that node is live.</summary>
    public const int Port = 10266;

    public const int DefaultSeconds = 5;
    public const int MaxSeconds = 30;
    public const int DefaultEchoes = 50;
    public const int MaxEchoes = 1000;

    /// <summary>Beyond the throughput seconds: the agents' reaction to the request, connecting, the echoes, the result write.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(30);

    public const string SourceKey = "source";
    public const string TargetKey = "target";
    public const string SecondsKey = "seconds";
    public const string EchoesKey = "echoes";
    public const string TokenKey = "token";
    public const string ExpiresKey = "expires";

    public required string Id { get; init; }
    public required string Source { get; init; }
    public required string Target { get; init; }
    public int Seconds { get; init; } = DefaultSeconds;
    public int Echoes { get; init; } = DefaultEchoes;

    /// <summary>32 random bytes, base64: the target accepts only connections that present it.</summary>
    public required string Token { get; init; }

    /// <summary>After this the agents ignore the request (the target stops listening) and anyone may delete it.</summary>
    public required DateTimeOffset Expires { get; init; }

    public string Name => NamePrefix + Id;

    public string ResultName => Name + "-result";

    public bool IsLive(DateTimeOffset now) => now < Expires;

    public bool Involves(string node) => Source == node || Target == node;

    /// <summary>A new request with a fresh id and token, expiring after its seconds plus <see cref="Slack"/>.</summary>
    public static BenchmarkRequest New(string source, string target, int seconds, int echoes, DateTimeOffset now) => new()
    {
        Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
        Source = source,
        Target = target,
        Seconds = seconds,
        Echoes = echoes,
        Token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        Expires = now + TimeSpan.FromSeconds(seconds) + Slack,
    };

    public IReadOnlyDictionary<string, string> ToData() => new Dictionary<string, string>
    {
        [SourceKey] = Source,
        [TargetKey] = Target,
        [SecondsKey] = Seconds.ToString(CultureInfo.InvariantCulture),
        [EchoesKey] = Echoes.ToString(CultureInfo.InvariantCulture),
        [TokenKey] = Token,
        [ExpiresKey] = Expires.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    };

    /// <summary>The errors of the operator's choices, each naming its field; empty when they are fine.</summary>
    public static IReadOnlyList<string> Validate(string source, string target, int seconds, int echoes)
    {
        var errors = new List<string>();
        foreach (var (field, node) in new[] { ("NODE_A", source), ("NODE_B", target) })
        {
            if (!NodeName().IsMatch(node))
            {
                errors.Add($"{field}: \"{node}\" is not a node name (lower-case DNS subdomain)");
            }
        }

        if (source == target)
        {
            errors.Add("NODE_B: must differ from NODE_A");
        }

        if (seconds is < 1 or > MaxSeconds)
        {
            errors.Add($"--seconds: {seconds} is outside 1..{MaxSeconds}");
        }

        if (echoes is < 1 or > MaxEchoes)
        {
            errors.Add($"--echoes: {echoes} is outside 1..{MaxEchoes}");
        }

        return errors;
    }

    /// <summary>Reads a request ConfigMap's name and data; the error names the field that is wrong.</summary>
    public static BenchmarkRequest Parse(string name, IReadOnlyDictionary<string, string>? data, out string? error)
    {
        error = null;
        var invalid = new BenchmarkRequest { Id = "", Source = "", Target = "", Token = "", Expires = DateTimeOffset.MinValue };
        if (!name.StartsWith(NamePrefix, StringComparison.Ordinal) || name.Length == NamePrefix.Length)
        {
            error = $"metadata.name: \"{name}\" does not start with {NamePrefix}";
            return invalid;
        }

        data ??= new Dictionary<string, string>();
        string Field(string key) => data.TryGetValue(key, out var value) ? value : "";
        var problems = Validate(Field(SourceKey), Field(TargetKey), Int(Field(SecondsKey)), Int(Field(EchoesKey)))
            .Select(p => p.Replace("NODE_A", $"data.{SourceKey}", StringComparison.Ordinal).Replace("NODE_B", $"data.{TargetKey}", StringComparison.Ordinal)
                .Replace("--seconds", $"data.{SecondsKey}", StringComparison.Ordinal).Replace("--echoes", $"data.{EchoesKey}", StringComparison.Ordinal))
            .ToList();
        var token = Field(TokenKey);
        if (!IsToken(token))
        {
            problems.Add($"data.{TokenKey}: must be 32 bytes in base64");
        }

        if (!DateTimeOffset.TryParse(Field(ExpiresKey), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expires))
        {
            problems.Add($"data.{ExpiresKey}: \"{Field(ExpiresKey)}\" is not an RFC 3339 time");
        }

        if (problems.Count > 0)
        {
            error = string.Join("; ", problems);
            return invalid;
        }

        return new BenchmarkRequest
        {
            Id = name[NamePrefix.Length..],
            Source = Field(SourceKey),
            Target = Field(TargetKey),
            Seconds = Int(Field(SecondsKey)),
            Echoes = Int(Field(EchoesKey)),
            Token = token,
            Expires = expires,
        };
    }

    public byte[] TokenBytes() => Convert.FromBase64String(Token);

    private static bool IsToken(string token)
    {
        var buffer = new byte[33];
        return Convert.TryFromBase64String(token, buffer, out var written) && written == 32;
    }

    private static int Int(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")]
    private static partial Regex NodeName();
}
