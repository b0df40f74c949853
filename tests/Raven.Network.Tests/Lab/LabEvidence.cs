using Raven.Lab.Run;
using Xunit.Abstractions;

namespace Raven.Network.Tests.Lab;

/// <summary>What a lab test leaves behind to explain a failure: the lab's logs and ping -D -O's gaps.</summary>
internal static class LabEvidence
{
    /// <summary>The lab's logs (agents, kubelets, controller, API server), copied out before `down` removes them.</summary>
    public static void KeepLogs(LabRunner lab, bool passed, ITestOutputHelper output)
    {
        if (LabLogArchive.Keep(lab, passed) is { } kept)
        {
            output.WriteLine($"the lab's logs are kept in {kept}");
        }
    }

    /// <summary>ping -D -O's unanswered requests grouped into runs: "HH:mm:ss.fff +N" (UTC) per gap.</summary>
    public static List<string> PingGaps(string text)
    {
        var gaps = new List<string>();
        var last = -2;
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, @"\[(\d+\.\d+)\] no answer yet for icmp_seq=(\d+)"))
        {
            var seq = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (seq == last + 1 && gaps.Count > 0)
            {
                var (at, count) = (gaps[^1][..gaps[^1].IndexOf(" +", StringComparison.Ordinal)], int.Parse(gaps[^1][(gaps[^1].IndexOf(" +", StringComparison.Ordinal) + 2)..], System.Globalization.CultureInfo.InvariantCulture));
                gaps[^1] = $"{at} +{count + 1}";
            }
            else
            {
                var at = DateTimeOffset.FromUnixTimeMilliseconds((long)(double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * 1000));
                gaps.Add($"{at:HH:mm:ss.fff} +1");
            }

            last = seq;
        }

        return gaps;
    }
}
