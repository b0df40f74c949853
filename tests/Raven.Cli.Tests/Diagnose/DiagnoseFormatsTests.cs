using Raven.Cli.Commands;
using Raven.Cli.Diagnose;

namespace Raven.Cli.Tests.Diagnose;

public sealed class DiagnoseFormatsTests
{
    private static readonly DiagnoseReport Report = new(
    [
        CheckResult.Passed("crd", "gateways.raven.openyurt.io serves v1alpha1, v1beta1; v1beta1 stores"),
        CheckResult.Failed("raven-cfg", "kube-system/raven-cfg enable-l3-tunnel: \"yes\" is neither \"true\" nor \"false\": read as false", "patch it"),
        CheckResult.Warning("psk", "Secret kube-system/raven-agent-secret is missing", "create it"),
    ]);

    [Fact]
    public void The_table_puts_the_status_first_the_remedy_under_the_message_and_the_counts_last()
    {
        var lines = DiagnoseFormats.Render(Report, StatusCommand.Table).Split('\n');

        lines.Should().Equal(
            "PASS  crd        gateways.raven.openyurt.io serves v1alpha1, v1beta1; v1beta1 stores",
            "FAIL  raven-cfg  kube-system/raven-cfg enable-l3-tunnel: \"yes\" is neither \"true\" nor \"false\": read as false",
            "                 remedy: patch it",
            "WARN  psk        Secret kube-system/raven-agent-secret is missing",
            "                 remedy: create it",
            "",
            "1 passed, 1 warnings, 1 failed",
            "");
    }

    [Fact]
    public void Json_round_trips_and_carries_the_counts()
    {
        var json = DiagnoseFormats.Render(Report, StatusCommand.Json);

        DiagnoseFormats.FromJson(json)!.Results.Should().Equal(Report.Results);
        json.Should().Contain("\"failed\": 1").And.Contain("\"summary\": \"1 passed, 1 warnings, 1 failed\"").And.NotContain("exitCode");
        json.Should().NotContain("\"remedy\": null", "a PASS has no remedy and nulls are left out");
    }
}
