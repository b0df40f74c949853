namespace Raven.Lab.Build;

/// <summary>Building or tearing down the lab failed; the message lists every failed command with its stderr.</summary>
public sealed class LabBuildException : Exception
{
    public LabBuildException()
    {
    }

    public LabBuildException(string message)
        : base(message)
    {
    }

    public LabBuildException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
