namespace Raven.Agent.Engine;

/// <summary>A setting the agent cannot start with; <see cref="Setting"/> names the flag (or ConfigMap key).</summary>
public sealed class AgentOptionsException : Exception
{
    public AgentOptionsException()
    {
        Setting = "";
    }

    public AgentOptionsException(string message)
        : base(message)
    {
        Setting = "";
    }

    public AgentOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Setting = "";
    }

    public AgentOptionsException(string setting, string message)
        : base($"{setting}: {message}")
    {
        Setting = setting;
    }

    public string Setting { get; }
}
