namespace Raven.ApiServer.Tables;

/// <summary>Ages the way kubectl prints them (apimachinery's duration.HumanDuration): 45s, 3m20s, 17m, 5h2m, 3d4h, 2y30d.</summary>
internal static class HumanDuration
{
    public static string Format(TimeSpan age)
    {
        var seconds = (long)Math.Floor(age.TotalSeconds);
        // A clock a second ahead of the writer's is still "now".
        if (seconds < -1) return "<invalid>";
        if (seconds < 0) return "0s";
        if (seconds < 120) return $"{seconds}s";
        var minutes = seconds / 60;
        if (minutes < 10) return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        if (minutes < 3 * 60) return $"{minutes}m";
        var hours = minutes / 60;
        if (hours < 8) return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        if (hours < 48) return $"{hours}h";
        if (hours < 24 * 8) return hours % 24 == 0 ? $"{hours / 24}d" : $"{hours / 24}d{hours % 24}h";
        if (hours < 24 * 365 * 2) return $"{hours / 24}d";
        if (hours < 24 * 365 * 8)
        {
            var days = hours / 24 % 365;
            return days == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{days}d";
        }

        return $"{hours / 24 / 365}y";
    }
}
