using System.Globalization;
using System.Text;

namespace Raven.Agent.Engine;

/// <summary>Durations as Go and upstream flags write them ("90s", "10m", "1h30m"); a bare number means seconds.</summary>
public static class GoDuration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bare))
        {
            duration = TimeSpan.FromSeconds(bare);
            return true;
        }

        var total = 0.0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            double? scale = text[unitStart..i] switch
            {
                "ms" => 0.001,
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                _ => null,
            };
            if (scale is null)
            {
                return false;
            }

            total += number * scale.Value;
        }

        duration = TimeSpan.FromSeconds(total);
        return true;
    }

    public static string Format(TimeSpan duration)
    {
        var text = new StringBuilder();
        if (duration.TotalHours >= 1)
        {
            text.Append((int)duration.TotalHours).Append('h');
        }

        if (duration.Minutes > 0)
        {
            text.Append(duration.Minutes).Append('m');
        }

        if (duration.Seconds > 0 || text.Length == 0)
        {
            text.Append(duration.Seconds).Append('s');
        }

        return text.ToString();
    }
}
