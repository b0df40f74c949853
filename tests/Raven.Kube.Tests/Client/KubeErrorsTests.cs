using System.Net;
using Raven.Kube.Client;

namespace Raven.Kube.Tests.Client;

public sealed class KubeErrorsTests
{
    private static string Status(int code, string reason, string message, string causes = "") =>
        $$"""{"kind":"Status","apiVersion":"v1","status":"Failure","message":"{{message}}","reason":"{{reason}}","code":{{code}}{{causes}}}""";

    [Fact]
    public void Not_found_is_typed()
    {
        var e = KubeErrors.FromResponse(HttpStatusCode.NotFound, Status(404, "NotFound", "configmaps \\\"x\\\" not found"));

        e.Should().BeOfType<KubeNotFoundException>();
        e.Reason.Should().Be("NotFound");
        e.Code.Should().Be(404);
        e.Message.Should().Contain("configmaps \"x\" not found");
    }

    [Fact]
    public void Conflict_and_already_exists_are_distinct()
    {
        KubeErrors.FromResponse(HttpStatusCode.Conflict, Status(409, "Conflict", "the object has been modified"))
            .Should().BeOfType<KubeConflictException>();
        KubeErrors.FromResponse(HttpStatusCode.Conflict, Status(409, "AlreadyExists", "exists"))
            .Should().BeOfType<KubeAlreadyExistsException>();
    }

    [Fact]
    public void Gone_and_expired_are_typed_expired()
    {
        KubeErrors.FromResponse(HttpStatusCode.Gone, Status(410, "Expired", "too old")).Should().BeOfType<KubeExpiredException>();
        KubeErrors.FromResponse(HttpStatusCode.Gone, "").Should().BeOfType<KubeExpiredException>();
    }

    [Fact]
    public void Invalid_carries_field_causes()
    {
        var causes = ""","details":{"name":"gw","kind":"Gateway","causes":[{"reason":"FieldValueInvalid","message":"must be tunnel or proxy","field":"spec.endpoints[0].type"}]}""";

        var e = KubeErrors.FromResponse(HttpStatusCode.UnprocessableEntity, Status(422, "Invalid", "Gateway is invalid", causes));

        e.Should().BeOfType<KubeInvalidException>();
        e.Causes.Should().ContainSingle().Which.Field.Should().Be("spec.endpoints[0].type");
        e.Message.Should().Contain("spec.endpoints[0].type: must be tunnel or proxy");
    }

    [Fact]
    public void Non_status_bodies_become_the_message()
    {
        var e = KubeErrors.FromResponse(HttpStatusCode.BadGateway, "upstream connect error");

        e.Should().BeOfType<KubeApiException>();
        e.Code.Should().Be(502);
        e.Status.Message.Should().Be("upstream connect error");
    }

    [Fact]
    public void Auth_failures_are_typed()
    {
        KubeErrors.FromResponse(HttpStatusCode.Forbidden, Status(403, "Forbidden", "nope")).Should().BeOfType<KubeUnauthorizedException>();
        KubeErrors.FromResponse(HttpStatusCode.Unauthorized, "").Should().BeOfType<KubeUnauthorizedException>();
    }
}
