namespace Raven.Cli.Progress;

/// <summary>What a long CLI operation (lab up, diagnose, benchmark) tells the person waiting for it.</summary>
public interface IProgressReport
{
    /// <summary>A step happened; printed as a line of its own.</summary>
    void Step(string line);

    /// <summary>Still <paramref name="activity"/>: <paramref name="elapsed"/> of about <paramref name="expected"/>.</summary>
    void Waiting(string activity, TimeSpan elapsed, TimeSpan expected);
}
