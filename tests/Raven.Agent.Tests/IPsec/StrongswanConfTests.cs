using Raven.Agent.Tunnel.IPsec;

namespace Raven.Agent.Tests.IPsec;

public sealed class StrongswanConfTests
{
    private static readonly CharonOptions Options = new() { StateDirectory = "/var/lib/raven/ipsec", DeadPeerTimeout = TimeSpan.FromSeconds(30) };

    private static string Line(string text, string key) =>
        text.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(key + " ", StringComparison.Ordinal));

    [Fact]
    public void Libipsec_comes_before_kernel_netlink_and_its_routes_go_to_a_table_no_rule_selects()
    {
        var text = StrongswanConf.Render(Options, libipsec: true);

        Line(text, "load").Should().Be("load = random nonce openssl aes sha1 sha2 hmac gcm kdf kernel-libipsec kernel-netlink socket-default vici");
        Line(text, "load_modular").Should().Be("load_modular = no");
        Line(text, "install_routes").Should().Be("install_routes = no");
        Line(text, "routing_table").Should().Be("routing_table = 9029");
        Line(text, "fwmark").Should().Be("fwmark = !0/0");
    }

    [Fact]
    public void Kernel_esp_installs_no_routes_and_no_rule()
    {
        var text = StrongswanConf.Render(Options, libipsec: false);

        Line(text, "load").Should().Contain(" kdf kernel-netlink socket-default").And.NotContain("libipsec");
        Line(text, "routing_table").Should().Be("routing_table = 0");
        Line(text, "install_routes").Should().Be("install_routes = no");
        text.Should().NotContain("fwmark");
    }

    [Fact]
    public void Ports_sockets_logs_and_liveness_come_from_the_options()
    {
        var text = StrongswanConf.Render(Options with { Port = 4501, NatKeepalive = TimeSpan.FromSeconds(10) }, libipsec: true);

        Line(text, "port").Should().Be("port = 0", "no IKE on 500: peers use the tunnel port");
        Line(text, "port_nat_t").Should().Be("port_nat_t = 4501");
        Line(text, "keep_alive").Should().Be("keep_alive = 10s");
        Line(text, "socket").Should().Be("socket = \"unix:///var/lib/raven/ipsec/charon.vici\"");
        Line(text, "path").Should().Be("path = \"/var/lib/raven/ipsec/charon.log\"");
        (Line(text, "retransmit_base"), Line(text, "retransmit_timeout"), Line(text, "retransmit_tries"))
            .Should().Be(("retransmit_base = 1.0", "retransmit_timeout = 10", "retransmit_tries = 2"), "sent at 0, 10 and 20 s, dead at 30 s");
    }

    [Fact]
    public void Without_a_dead_peer_timeout_charons_retransmission_defaults_stay()
    {
        StrongswanConf.Render(Options with { DeadPeerTimeout = TimeSpan.Zero }, libipsec: true).Should().NotContain("retransmit");
    }

    [Fact]
    public void The_same_options_render_the_same_text_and_braces_balance()
    {
        var text = StrongswanConf.Render(Options, libipsec: true);

        StrongswanConf.Render(Options with { }, libipsec: true).Should().Be(text);
        text.Count(c => c == '{').Should().Be(text.Count(c => c == '}'));
    }
}
