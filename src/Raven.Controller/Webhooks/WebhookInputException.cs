namespace Raven.Controller.Webhooks;

/// <summary>A review or object the webhook cannot work with; the message says which field and why.</summary>
public sealed class WebhookInputException : Exception
{
    public WebhookInputException()
    {
    }

    public WebhookInputException(string message)
        : base(message)
    {
    }

    public WebhookInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
