using System.Net;
using Raven.Agent.Linux;
using Raven.Agent.Tunnel.IPsec;

namespace Raven.Agent.Tests.IPsec;

public sealed class LibipsecSelectorsTests
{
    private static readonly IPAddress[] Host = [IPAddress.Parse("10.201.1.1"), IPAddress.Parse("172.16.1.10"), IPAddress.Loopback];

    [Fact]
    public void Subnets_without_a_host_address_are_split_off()
    {
        var (usable, dropped) = LibipsecSelectors.Split(
            [IPNetwork.Parse("10.201.1.0/24"), IPNetwork.Parse("10.201.3.0/24"), IPNetwork.Parse("172.16.1.10/32")], Host);

        usable.Should().Equal(IPNetwork.Parse("10.201.1.0/24"), IPNetwork.Parse("172.16.1.10/32"));
        dropped.Should().Equal(IPNetwork.Parse("10.201.3.0/24"));
    }

    [Fact]
    public void A_selector_covering_loopback_is_usable_as_charon_then_uses_any_source()
    {
        LibipsecSelectors.Split([IPNetwork.Parse("0.0.0.0/0")], [IPAddress.Loopback]).Dropped.Should().BeEmpty();
    }

    [Theory]
    [InlineData(true, "5.9.8", true)]
    [InlineData(true, "5.9.11", true)]
    [InlineData(true, "5.9.12", false)]
    [InlineData(true, "6.0.1", false)]
    [InlineData(false, "5.9.8", false)]
    public void Only_libipsec_before_5_9_12_needs_it(bool libipsec, string version, bool applies) =>
        LibipsecSelectors.Applies(libipsec, Version.Parse(version)).Should().Be(applies);
}

public sealed class IpsecRoutesTests
{
    [Fact]
    public void Each_remote_subnet_is_routed_once_via_the_device_with_a_source_in_the_local_subnets()
    {
        var first = ConnectionConfigTests.EdgeToCloud;
        var second = first with { Name = "raven-edge3", RemoteSubnets = [IPNetwork.Parse("10.201.3.0/24"), IPNetwork.Parse("10.201.4.0/24")] };

        var routes = IpsecRoutes.For([first, second], [IPAddress.Parse("172.16.1.10"), IPAddress.Parse("10.201.1.1")], deviceIndex: 7, table: 9028, mtu: 1400);

        routes.Select(r => r.Destination.ToString()).Should().Equal("10.201.0.0/24", "10.201.3.0/24", "10.201.4.0/24");
        routes.Should().AllSatisfy(r =>
        {
            (r.Table, r.OutputInterface, r.Scope, r.Mtu, r.Gateway).Should().Be((9028u, 7, RouteScope.Link, 1400, (IPAddress?)null));
            r.PreferredSource.Should().Be(IPAddress.Parse("10.201.1.1"));
        });
    }

    [Fact]
    public void The_source_is_the_lowest_non_loopback_host_address_inside_the_subnets_or_none()
    {
        IPNetwork[] subnets = [IPNetwork.Parse("10.201.1.0/24")];

        IpsecRoutes.SourceFor(subnets, [IPAddress.Parse("10.201.1.9"), IPAddress.Parse("10.201.1.1")]).Should().Be(IPAddress.Parse("10.201.1.1"));
        IpsecRoutes.SourceFor([IPNetwork.Parse("0.0.0.0/0")], [IPAddress.Loopback]).Should().BeNull();
        IpsecRoutes.SourceFor(subnets, [IPAddress.Parse("172.16.1.10")]).Should().BeNull();
    }
}

public sealed class TunDeviceTests : IDisposable
{
    private readonly string proc = Directory.CreateTempSubdirectory("rvt-ips-proc-").FullName;

    public void Dispose() => Directory.Delete(proc, recursive: true);

    [Fact]
    public void The_iff_line_of_a_tun_fdinfo_names_the_interface()
    {
        TunDevice.ParseInterface("pos:\t0\nflags:\t02004002\nmnt_id:\t25\nino:\t1057\niff:\tipsec0\n").Should().Be("ipsec0");
        TunDevice.ParseInterface("pos:\t0\nflags:\t02004002\n").Should().BeNull("a tun fd not attached yet");
    }

    [Fact]
    public void Only_fds_linked_to_dev_net_tun_count()
    {
        var fd = Directory.CreateDirectory(Path.Combine(proc, "42", "fd")).FullName;
        var fdinfo = Directory.CreateDirectory(Path.Combine(proc, "42", "fdinfo")).FullName;
        File.CreateSymbolicLink(Path.Combine(fd, "3"), "/dev/null");
        File.WriteAllText(Path.Combine(fdinfo, "3"), "iff:\tnot-a-tun\n");
        File.CreateSymbolicLink(Path.Combine(fd, "11"), "/dev/net/tun");
        File.WriteAllText(Path.Combine(fdinfo, "11"), "pos:\t0\niff:\tipsec1\n");

        TunDevice.HeldBy(42, proc).Should().Equal("ipsec1");
        TunDevice.HeldBy(43, proc).Should().BeEmpty("the process is gone");
    }
}

public sealed class CharonCommandTests
{
    private static readonly CharonOptions Options = new() { StateDirectory = "/var/lib/raven/ipsec" };

    [Fact]
    public void In_the_agents_namespace_charon_runs_under_unshare_with_a_private_run()
    {
        var info = CharonCommand.Create(Options);

        info.FileName.Should().Be("unshare");
        info.ArgumentList.Take(3).Should().Equal("--mount", "--propagation", "private");
        info.ArgumentList.Skip(3).Take(2).Should().Equal("sh", "-c");
        var script = info.ArgumentList[5];
        script.Should().StartWith("mount -t tmpfs").And.Contain(" /run && ").And.EndWith("exec \"$@\" </dev/null >>\"$0\" 2>&1");
        info.ArgumentList.Skip(6).Should().Equal("/var/lib/raven/ipsec/charon.stdio", "/usr/lib/ipsec/charon");
        info.Environment["STRONGSWAN_CONF"].Should().Be("/var/lib/raven/ipsec/strongswan.conf");
        info.UseShellExecute.Should().BeFalse();
    }

    [Fact]
    public void In_a_named_namespace_ip_netns_exec_provides_the_mount_namespace()
    {
        var info = CharonCommand.Create(Options with { NetworkNamespace = "rvt-ips-a" });

        info.FileName.Should().Be("ip");
        info.ArgumentList.Take(5).Should().Equal("netns", "exec", "rvt-ips-a", "sh", "-c");
        var bad = () => CharonCommand.Create(Options with { NetworkNamespace = "../x" });
        bad.Should().Throw<ArgumentException>();
    }
}

public sealed class CharonSettingsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("rvt-ips-state-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("relative/dir", "must be an absolute path")]
    [InlineData("/run/raven", "is under /run")]
    [InlineData("/var/run/raven/ipsec", "is under /run")]
    public void A_state_directory_charon_could_not_use_is_refused(string path, string reason)
    {
        var validate = () => new CharonOptions { StateDirectory = path }.Validate();

        validate.Should().Throw<IpsecConfigurationException>().WithMessage($"*\"{path}\" {reason}*");
    }

    [Fact]
    public void Socket_paths_too_long_for_sun_path_ports_and_reserved_tables_are_refused()
    {
        var longPath = () => new CharonOptions { StateDirectory = "/" + new string('d', 100) }.Validate();
        var port = () => new CharonOptions { StateDirectory = "/var/lib/raven", Port = 70000 }.Validate();
        var table = () => new CharonOptions { StateDirectory = "/var/lib/raven", LibipsecRouteTable = 254 }.Validate();

        longPath.Should().Throw<IpsecConfigurationException>().WithMessage("*longer than a Unix socket allows*");
        port.Should().Throw<IpsecConfigurationException>().WithMessage("*70000*");
        table.Should().Throw<IpsecConfigurationException>().WithMessage("*254*");
    }

    [Fact]
    public void The_record_round_trips_and_garbage_reads_as_none()
    {
        var path = Path.Combine(directory, "charon.pid");
        var record = new CharonRecord(ProcessIdentity.Of(Environment.ProcessId)!.Value, CharonRecord.DigestOf("charon { }"));

        CharonIdentityFile.Write(path, record);
        CharonIdentityFile.Read(path).Should().Be(record);

        File.WriteAllText(path, "12\n");
        CharonIdentityFile.Read(path).Should().BeNull();
        CharonIdentityFile.Read(Path.Combine(directory, "absent")).Should().BeNull();
    }
}

public sealed class PresharedKeyTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_vpn_connection_psk_the_backend_refuses_naming_the_variable(string? value)
    {
        var load = () => PresharedKey.From(value);

        load.Should().Throw<IpsecConfigurationException>().WithMessage("VPN_CONNECTION_PSK is not set*vpn-connection-psk*");
    }

    [Fact]
    public void The_secret_is_used_as_given_under_an_id_derived_from_its_hash()
    {
        var key = PresharedKey.From("s3cret");

        key.Secret.Should().Be("s3cret", "upstream hands VPN_CONNECTION_PSK to the IKE daemon unchanged");
        key.Id.Should().MatchRegex("^raven-psk-[0-9a-f]{16}$").And.NotContain("s3cret");
        PresharedKey.From("s3cret").Id.Should().Be(key.Id);
        PresharedKey.From("other").Id.Should().NotBe(key.Id);
        key.ToString().Should().NotContain("s3cret");
    }
}

public sealed class IpsecConnectionSpecTests
{
    [Fact]
    public void A_responder_may_accept_any_address_and_a_valid_spec_has_no_problems()
    {
        ConnectionConfigTests.EdgeToCloud.Validate().Should().BeEmpty();
        (ConnectionConfigTests.EdgeToCloud with { RemoteAddress = null, Role = IpsecRole.Responder }).Validate().Should().BeEmpty();
    }

    [Fact]
    public void Each_problem_names_its_field()
    {
        var bad = ConnectionConfigTests.EdgeToCloud with
        {
            Name = new string('n', 65),
            RemoteId = "has space",
            LocalSubnets = [],
            DpdDelay = TimeSpan.FromSeconds(-1),
        };

        bad.Validate().Should().SatisfyRespectively(
            p => p.Should().StartWith("name "),
            p => p.Should().StartWith("remoteId \"has space\""),
            p => p.Should().StartWith("localSubnets: empty"),
            p => p.Should().StartWith("dpdDelay "));
    }
}

public sealed class KernelEspProbeTests
{
    [Fact]
    public void The_probe_asks_for_an_esp_state_with_aes_gcm_and_a_160_bit_key()
    {
        var key = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();

        var message = KernelEspProbe.NewSaRequest(0x52415601, key).Build(sequence: 1);

        message.Length.Should().Be(16 + 224 + 4 + 72 + 20, "nlmsghdr, xfrm_usersa_info, one aligned attribute");
        BitConverter.ToUInt16(message, 4).Should().Be(0x10, "XFRM_MSG_NEWSA");
        var info = message.AsSpan(16, 224);
        info.Slice(56, 4).ToArray().Should().Equal(192, 0, 2, 1);
        info.Slice(72, 4).ToArray().Should().Equal(0x52, 0x41, 0x56, 0x01);
        info[76].Should().Be(50, "IPPROTO_ESP");
        BitConverter.ToUInt16(message, 16 + 224 + 2).Should().Be(18, "XFRMA_ALG_AEAD");
        var aead = message.AsSpan(16 + 224 + 4);
        System.Text.Encoding.ASCII.GetString(aead[..17]).Should().Be("rfc4106(gcm(aes))");
        (BitConverter.ToUInt32(aead[64..]), BitConverter.ToUInt32(aead[68..])).Should().Be((160u, 128u));
        aead[72..].ToArray().Should().Equal(key);
    }
}
