using Raven.Agent.Tunnel.IPsec;

namespace Raven.Agent.Tests.IPsec;

public sealed class ConnectionDiffTests
{
    private static readonly WantedConnection ToCloud = ConnectionConfig.Render(ConnectionConfigTests.EdgeToCloud);

    private static LoadedConnection Loaded(string name, params string[] children) =>
        new() { Name = name, Children = children.Select(c => new LoadedChild(c, [], [])).ToList() };

    [Fact]
    public void A_connection_charon_runs_with_the_wanted_digest_is_unchanged_and_not_sent()
    {
        var changes = ConnectionDiff.Compute([Loaded("raven-cloud", ToCloud.ChildName)], [ToCloud]);

        changes.IsEmpty.Should().BeTrue();
        changes.Unchanged.Should().Equal("raven-cloud");
    }

    [Fact]
    public void New_and_changed_connections_are_loaded_and_gone_ones_unloaded()
    {
        var other = ConnectionConfig.Render(ConnectionConfigTests.EdgeToCloud with { Name = "raven-edge2" });
        var gone = Loaded("raven-edge3", "tunnel-000000000000");
        var stale = Loaded("raven-cloud", "tunnel-0123456789ab");

        var changes = ConnectionDiff.Compute([stale, gone], [ToCloud, other]);

        changes.ToLoad.Select(c => c.Name).Should().Equal("raven-cloud", "raven-edge2");
        changes.ToUnload.Should().Equal("raven-edge3");
        changes.Unchanged.Should().BeEmpty();
    }

    [Fact]
    public void A_connection_loaded_by_someone_else_with_its_own_children_is_reloaded()
    {
        // charon's captured list-conn: loaded by swanctl with a child named "pods".
        var loaded = CharonParser.ParseConns([ViciPacketCodec.Decode(CapturedVici.Payload(CapturedVici.ListConnsReceived[1])).Message!]);
        var wanted = ToCloud with { Spec = ToCloud.Spec with { Name = "raven-gw-b" } };

        ConnectionDiff.Compute(loaded, [wanted]).ToLoad.Should().ContainSingle();
        ConnectionDiff.Compute([Loaded("raven-cloud", ToCloud.ChildName, "extra")], [ToCloud]).ToLoad.Should().ContainSingle();
    }

    [Fact]
    public void Nothing_wanted_unloads_everything_and_duplicates_are_refused()
    {
        ConnectionDiff.Compute([Loaded("a"), Loaded("b")], []).ToUnload.Should().Equal("a", "b");
        var duplicate = () => ConnectionDiff.Compute([], [ToCloud, ToCloud]);
        duplicate.Should().Throw<ArgumentException>().WithMessage("*raven-cloud*");
    }
}
