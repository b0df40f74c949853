using System.Net;
using Raven.Agent.Engine;

namespace Raven.Agent.Tests.Engine;

public sealed class AgentOptionsParserTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static AgentOptions Parse(Dictionary<string, string> flags, Dictionary<string, string>? config = null, List<string>? warnings = null) =>
        AgentOptionsParser.Parse(flags, NoEnvironment, config, warnings);

    [Fact]
    public void Defaults_match_upstream_where_upstream_has_them()
    {
        var options = Parse(new() { ["node-name"] = "edge-1" });

        options.NodeName.Should().Be("edge-1");
        options.VpnDriver.Should().Be("wireguard");
        options.VpnBindPort.Should().Be(4500);
        options.MetricBindAddress.Should().Be(":10265");
        options.HealthProbeAddress.Should().Be(":10275");
        options.StateDirectory.Should().Be("/var/lib/raven");
        options.WireGuardInterface.Should().Be("raven-wg0");
        options.LeaseDuration.Should().Be(TimeSpan.FromSeconds(40));
    }

    [Fact]
    public void Underlay_mtu_comes_from_the_config_map_or_a_flag_and_a_bad_value_is_ignored_with_a_warning()
    {
        var warnings = new List<string>();

        Parse(new() { ["node-name"] = "n1" }).UnderlayMtu.Should().Be(1500);
        Parse(new() { ["node-name"] = "n1" }, new() { ["underlay-mtu"] = "1400" }).ToPlannerOptions(true).UnderlayMtu.Should().Be(1400);
        Parse(new() { ["node-name"] = "n1", ["underlay-mtu"] = "9000" }, new() { ["underlay-mtu"] = "1400" }).UnderlayMtu.Should().Be(9000, "the flag wins");
        Parse(new() { ["node-name"] = "n1" }, new() { ["underlay-mtu"] = "900" }, warnings).UnderlayMtu.Should().Be(1500);
        warnings.Should().ContainSingle().Which.Should().Contain("raven-agent-config underlay-mtu").And.Contain("between 1280 and 65535");
    }

    [Fact]
    public void Forward_node_ip_is_on_unless_the_config_map_or_a_flag_turns_it_off()
    {
        var off = new Dictionary<string, string> { ["forward-node-ip"] = "false" };

        Parse(new() { ["node-name"] = "n1" }).ForwardNodeIp.Should().BeTrue("node ↔ node works by default, as the user manual shows");
        Parse(new() { ["node-name"] = "n1" }, off).ForwardNodeIp.Should().BeFalse();
        Parse(new() { ["node-name"] = "n1", ["forward-node-ip"] = "false" }).ForwardNodeIp.Should().BeFalse();
        Parse(new() { ["node-name"] = "n1", ["forward-node-ip"] = "true" }, off).ForwardNodeIp.Should().BeTrue("the flag wins");
    }

    [Fact]
    public void Node_name_and_ip_come_from_the_environment_when_no_flag_is_given()
    {
        var env = new Dictionary<string, string> { ["NODE_NAME"] = "cloud-gw", ["NODE_IP"] = "172.16.0.10" };

        var options = AgentOptionsParser.Parse(new Dictionary<string, string>(), env.GetValueOrDefault, null);

        options.NodeName.Should().Be("cloud-gw");
        options.NodeIp.Should().Be(IPAddress.Parse("172.16.0.10"));
    }

    [Fact]
    public void Flags_are_parsed_with_their_units()
    {
        var options = Parse(new()
        {
            ["node-name"] = "n1", ["vpn-bind-port"] = ":4600", ["keep-alive-interval"] = "15", ["keep-alive-timeout"] = "30",
            ["sync-raven-rules-period"] = "1h30m", ["forward-node-ip"] = "true", ["lease-duration"] = "60s",
            ["wireguard-interface"] = "rvt-wg-a", ["public-ip"] = "203.0.113.7", ["state-dir"] = "/tmp/raven",
        });

        options.VpnBindPort.Should().Be(4600);
        options.KeepAliveInterval.Should().Be(TimeSpan.FromSeconds(15));
        options.SyncPeriod.Should().Be(TimeSpan.FromMinutes(90));
        options.ForwardNodeIp.Should().BeTrue();
        options.LeaseDuration.Should().Be(TimeSpan.FromMinutes(1));
        options.WireGuardInterface.Should().Be("rvt-wg-a");
        options.PublicIp.Should().Be(IPAddress.Parse("203.0.113.7"));
        options.ToPlannerOptions(true).KeepaliveSeconds.Should().Be(15);
    }

    [Theory]
    [InlineData("node-name", "Edge_1", "--node-name")]
    [InlineData("node-ip", "not-an-ip", "--node-ip")]
    [InlineData("vpn-driver", "openvpn", "--vpn-driver")]
    [InlineData("vpn-bind-port", "70000", "--vpn-bind-port")]
    [InlineData("keep-alive-interval", "5s", "--keep-alive-interval")]
    [InlineData("sync-raven-rules-period", "48h", "--sync-raven-rules-period")]
    [InlineData("sync-raven-rules-period", "soon", "--sync-raven-rules-period")]
    [InlineData("metric-bind-addr", "10265", "--metric-bind-addr")]
    [InlineData("state-dir", "relative/dir", "--state-dir")]
    [InlineData("wireguard-interface", "a-name-that-is-too-long", "--wireguard-interface")]
    [InlineData("lease-duration", "1s", "--lease-duration")]
    [InlineData("forward-node-ip", "yes", "--forward-node-ip")]
    public void A_bad_flag_is_rejected_naming_the_flag(string flag, string value, string setting)
    {
        var parse = () => Parse(new() { ["node-name"] = "n1", [flag] = value });

        parse.Should().Throw<AgentOptionsException>().Where(e => e.Setting == setting && e.Message.StartsWith(setting, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ipsec", null)]
    [InlineData("ipsec", "")]
    [InlineData("libreswan", null)]
    public void Ipsec_without_VPN_CONNECTION_PSK_is_refused_in_one_line_naming_it(string driver, string? psk)
    {
        var env = new Dictionary<string, string?> { ["VPN_CONNECTION_PSK"] = psk };
        var parse = () => AgentOptionsParser.Parse(new Dictionary<string, string> { ["node-name"] = "n1", ["vpn-driver"] = driver }, env.GetValueOrDefault, null);

        var error = parse.Should().Throw<AgentOptionsException>().Which;
        error.Setting.Should().Be("VPN_CONNECTION_PSK");
        error.Message.Should().StartWith("VPN_CONNECTION_PSK: must be set").And.Contain("--vpn-driver ipsec").And.NotContain("\n");
    }

    [Theory]
    [InlineData("ipsec")]
    [InlineData("libreswan")]
    public void Ipsec_with_a_psk_selects_the_ipsec_backend(string driver)
    {
        var env = new Dictionary<string, string> { ["VPN_CONNECTION_PSK"] = "s3cret" };

        var options = AgentOptionsParser.Parse(new Dictionary<string, string> { ["node-name"] = "n1", ["vpn-driver"] = driver }, env.GetValueOrDefault, null);

        (options.VpnDriver, options.PresharedKeySecret).Should().Be(("ipsec", "s3cret"));
    }

    [Fact]
    public void Ipsec_from_the_config_map_without_a_psk_is_a_warning_and_the_driver_stays()
    {
        var warnings = new List<string>();

        var options = Parse(new() { ["node-name"] = "n1" }, new() { ["vpn-driver"] = "ipsec" }, warnings);

        options.VpnDriver.Should().Be("wireguard");
        warnings.Should().ContainSingle().Which.Should().Contain("VPN_CONNECTION_PSK").And.Contain("raven-agent-config vpn-driver");
    }

    [Fact]
    public void A_missing_node_name_names_both_sources()
    {
        var parse = () => Parse([]);

        parse.Should().Throw<AgentOptionsException>().WithMessage("*--node-name*NODE_NAME*");
    }

    [Fact]
    public void Unknown_flags_are_rejected()
    {
        var parse = () => Parse(new() { ["node-name"] = "n1", ["tunnel-mode"] = "fast" });

        parse.Should().Throw<AgentOptionsException>().Where(e => e.Setting == "--tunnel-mode");
    }

    [Fact]
    public void The_config_map_fills_what_flags_leave_open_and_flags_win()
    {
        var config = new Dictionary<string, string> { ["forward-node-ip"] = "false", ["tunnel-bind-addr"] = ":4700", ["vpn-driver"] = "wireguard" };

        var fromConfig = Parse(new() { ["node-name"] = "n1" }, config);
        var flagWins = Parse(new() { ["node-name"] = "n1", ["forward-node-ip"] = "true", ["vpn-bind-port"] = "4500" }, config);

        fromConfig.ForwardNodeIp.Should().BeFalse();
        fromConfig.VpnBindPort.Should().Be(4700);
        flagWins.ForwardNodeIp.Should().BeTrue();
        flagWins.VpnBindPort.Should().Be(4500);
    }

    [Fact]
    public void A_bad_config_map_value_is_a_warning_not_a_failure()
    {
        var warnings = new List<string>();

        var options = Parse(new() { ["node-name"] = "n1" }, new() { ["forward-node-ip"] = "maybe", ["vpn-driver"] = "libreswan" }, warnings);

        options.ForwardNodeIp.Should().BeTrue("the bad value is ignored and the default stays");
        options.VpnDriver.Should().Be("wireguard");
        warnings.Should().HaveCount(2).And.Contain(w => w.Contains("raven-agent-config forward-node-ip", StringComparison.Ordinal));
    }

    [Fact]
    public void Upstream_route_driver_sync_switch_and_psk_are_understood()
    {
        var env = new Dictionary<string, string> { ["NODE_NAME"] = "n1", ["VPN_CONNECTION_PSK"] = "s3cret" };

        var options = AgentOptionsParser.Parse(new Dictionary<string, string> { ["route-driver"] = "vxlan", ["sync-raven-rules"] = "false" }, env.GetValueOrDefault, null);
        var wrongDriver = () => Parse(new() { ["node-name"] = "n1", ["route-driver"] = "flannel" });

        options.SyncRules.Should().BeFalse();
        options.EffectiveSyncPeriod.Should().BeGreaterThan(TimeSpan.FromDays(300));
        options.PresharedKeySecret.Should().Be("s3cret");
        Raven.Agent.Tunnel.WireGuard.WireGuardBackendOptions.PresharedKeyFrom("s3cret")!.AsSpan().ToArray()
            .Should().Equal(System.Security.Cryptography.SHA256.HashData("s3cret"u8));
        Raven.Agent.Tunnel.WireGuard.WireGuardBackendOptions.PresharedKeyFrom(null).Should().BeNull("there is no built-in default PSK");
        wrongDriver.Should().Throw<AgentOptionsException>().Where(e => e.Setting == "--route-driver");
        Parse(new() { ["node-name"] = "n1" }).PresharedKeySecret.Should().BeNull();
    }

    [Theory]
    [InlineData("90", 90)]
    [InlineData("1m30s", 90)]
    [InlineData("2h", 7200)]
    [InlineData("1.5s", 1.5)]
    public void Go_durations_parse(string text, double seconds)
    {
        GoDuration.TryParse(text, out var duration).Should().BeTrue();
        duration.TotalSeconds.Should().Be(seconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5x")]
    [InlineData("m")]
    public void Bad_go_durations_do_not_parse(string text) => GoDuration.TryParse(text, out _).Should().BeFalse();
}
