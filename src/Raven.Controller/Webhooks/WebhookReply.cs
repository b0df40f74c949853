using System.Text.Json.Nodes;

namespace Raven.Controller.Webhooks;

/// <summary>What a pure handler answers: a review to send back with 200, or a reason to reject the HTTP request with 400.</summary>
public sealed record WebhookReply(int StatusCode, JsonObject? Review, string? Error)
{
    public static WebhookReply Ok(JsonObject review) => new(200, review, null);

    public static WebhookReply BadRequest(string error) => new(400, null, error);
}
