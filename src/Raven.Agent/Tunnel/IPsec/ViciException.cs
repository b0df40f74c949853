namespace Raven.Agent.Tunnel.IPsec;

/// <summary>Why a VICI exchange failed.</summary>
public enum ViciFailure
{
    /// <summary>charon ran the command and answered <c>success = no</c>.</summary>
    CommandFailed,

    /// <summary>charon has no handler for the command (CMD_UNKNOWN).</summary>
    UnknownCommand,

    /// <summary>charon has no event source of that name (EVENT_UNKNOWN).</summary>
    UnknownEvent,

    /// <summary>charon answered something the protocol does not allow at this point.</summary>
    Protocol,
}

/// <summary>A VICI exchange failed; the message names the command or event, the socket and charon's own errmsg.</summary>
public sealed class ViciException : IOException
{
    public ViciException(ViciFailure failure, string subject, string socketPath, string? charonMessage = null)
        : base(Describe(failure, subject, socketPath, charonMessage))
    {
        Failure = failure;
        Subject = subject;
        SocketPath = socketPath;
        CharonMessage = charonMessage;
    }

    public ViciException()
    {
        Subject = "";
        SocketPath = "";
    }

    public ViciException(string message)
        : base(message)
    {
        Subject = "";
        SocketPath = "";
    }

    public ViciException(string message, Exception innerException)
        : base(message, innerException)
    {
        Subject = "";
        SocketPath = "";
    }

    public ViciFailure Failure { get; }

    /// <summary>The command or event name.</summary>
    public string Subject { get; }

    public string SocketPath { get; }

    /// <summary>charon's <c>errmsg</c>, when it sent one.</summary>
    public string? CharonMessage { get; }

    private static string Describe(ViciFailure failure, string subject, string socketPath, string? charonMessage) => failure switch
    {
        ViciFailure.CommandFailed => $"charon refused VICI command {subject} on {socketPath}: {charonMessage ?? "no errmsg"}.",
        ViciFailure.UnknownCommand => $"charon on {socketPath} does not know the VICI command {subject}.",
        ViciFailure.UnknownEvent => $"charon on {socketPath} does not know the VICI event {subject}.",
        _ => $"Unexpected VICI answer to {subject} on {socketPath}: {charonMessage}.",
    };
}
