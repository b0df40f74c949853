using System.Net;
using Raven.Agent.Tunnel.IPsec;

namespace Raven.Agent.Tests.IPsec;

public sealed class ConnectionConfigTests
{
    internal static readonly IpsecConnectionSpec EdgeToCloud = new()
    {
        Name = "raven-cloud",
        LocalAddress = IPAddress.Parse("172.16.1.10"),
        RemoteAddress = IPAddress.Parse("203.0.113.10"),
        LocalId = "@edge1",
        RemoteId = "@cloud",
        LocalSubnets = [IPNetwork.Parse("10.201.1.0/24")],
        RemoteSubnets = [IPNetwork.Parse("10.201.0.0/24"), IPNetwork.Parse("10.201.3.0/24")],
        Role = IpsecRole.Initiator,
        DpdDelay = TimeSpan.FromSeconds(15),
    };

    [Fact]
    public void An_initiator_renders_as_an_ikev2_psk_connection_with_one_child_named_after_its_digest()
    {
        var rendered = ConnectionConfig.Render(EdgeToCloud);

        rendered.ChildName.Should().MatchRegex("^tunnel-[0-9a-f]{12}$");
        rendered.Config.ToString().Should().Be($$"""
            version = 2
            local_addrs = [172.16.1.10]
            remote_addrs = [203.0.113.10]
            remote_port = 4500
            encap = yes
            mobike = no
            keyingtries = 0
            proposals = [aes128gcm16-prfsha256-x25519]
            dpd_delay = 15s
            local {
              auth = psk
              id = @edge1
            }
            remote {
              auth = psk
              id = @cloud
            }
            children {
              {{rendered.ChildName}} {
                local_ts = [10.201.1.0/24]
                remote_ts = [10.201.0.0/24, 10.201.3.0/24]
                esp_proposals = [aes128gcm16]
                mode = tunnel
                start_action = start
                dpd_action = restart
                close_action = restart
              }
            }

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void A_responder_for_a_nated_peer_accepts_any_address_waits_and_clears_on_a_dead_peer()
    {
        var responder = EdgeToCloud with { Name = "raven-edge1", RemoteAddress = null, LocalAddress = null, Role = IpsecRole.Responder, DpdDelay = TimeSpan.Zero };

        var config = ConnectionConfig.Render(responder).Config;

        config.Texts("local_addrs").Should().Equal("%any");
        config.Texts("remote_addrs").Should().Equal("%any");
        config.Contains("dpd_delay").Should().BeFalse();
        var child = config.Section("children")!.Sections().Single().Value;
        (child.Text("start_action"), child.Text("dpd_action"), child.Text("close_action")).Should().Be(("none", "clear", "none"));
    }

    [Fact]
    public void The_digest_is_stable_and_changes_with_anything_charon_would_run_differently()
    {
        var name = ConnectionConfig.Render(EdgeToCloud).ChildName;
        ConnectionConfig.Render(EdgeToCloud with { }).ChildName.Should().Be(name);

        IpsecConnectionSpec[] variants =
        [
            EdgeToCloud with { RemotePort = 31000 },
            EdgeToCloud with { RemoteAddress = IPAddress.Parse("203.0.113.11") },
            EdgeToCloud with { LocalSubnets = [IPNetwork.Parse("10.201.1.0/25")] },
            EdgeToCloud with { RemoteSubnets = [IPNetwork.Parse("10.201.0.0/24")] },
            EdgeToCloud with { DpdDelay = TimeSpan.FromSeconds(16) },
            EdgeToCloud with { Role = IpsecRole.Responder },
            EdgeToCloud with { ForceEncapsulation = false },
            EdgeToCloud with { RemoteId = "@cloud2" },
        ];

        variants.Select(v => ConnectionConfig.Render(v).ChildName).Should().OnlyHaveUniqueItems().And.NotContain(name);
    }

    /// <summary>charon parses each key as a value or a list; ours must be encoded as swanctl encodes the same key.</summary>
    [Fact]
    public void Every_key_swanctl_also_sends_has_the_element_kind_swanctl_gives_it()
    {
        var swanctl = ViciPacketCodec.Decode(CapturedVici.Payload(CapturedVici.LoadConnSent[1])).Message!.Section("raven-gw-b")!;
        var ours = ConnectionConfig.Render(EdgeToCloud).Config;

        var compared = CompareKinds(swanctl, ours, "");

        compared.Should().Contain(["version", "local_addrs", "remote_port", "encap", "mobike", "dpd_delay", "keyingtries", "proposals",
            "local.auth", "local.id", "children.*.local_ts", "children.*.esp_proposals", "children.*.start_action", "children.*.close_action"]);
    }

    [Fact]
    public void An_invalid_spec_is_refused_naming_every_bad_field()
    {
        var bad = EdgeToCloud with { Name = "raven cloud", LocalId = "", RemoteAddress = null, RemoteSubnets = [], RemotePort = 0 };

        var render = () => ConnectionConfig.Render(bad);

        render.Should().Throw<ArgumentException>()
            .WithMessage("*name \"raven cloud\"*localId*remotePort 0*remoteAddress: an initiator needs*remoteSubnets: empty*");
    }

    private static List<string> CompareKinds(ViciSection reference, ViciSection ours, string path)
    {
        var compared = new List<string>();
        var oursByKey = ours.Entries.ToDictionary(e => e.Key, e => e.Value);
        var isChildren = path.EndsWith("children.", StringComparison.Ordinal);
        foreach (var (key, element) in reference.Entries)
        {
            // Children are named freely: compare swanctl's one child with ours.
            var match = isChildren ? ours.Entries.Single().Value : oursByKey.GetValueOrDefault(key);
            var label = isChildren ? "*" : key;
            if (match is null)
            {
                continue;
            }

            match.GetType().Should().Be(element.GetType(), $"{path}{label} is a {element.GetType().Name} for swanctl");
            compared.Add(path + label);
            if (element is ViciSection section)
            {
                compared.AddRange(CompareKinds(section, (ViciSection)match, $"{path}{label}."));
            }
        }

        return compared;
    }
}
