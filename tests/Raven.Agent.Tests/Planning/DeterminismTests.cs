using Raven.Agent.Planning;
using Raven.Api.V1Beta1;
using static Raven.Agent.Tests.Planning.Fixtures;

namespace Raven.Agent.Tests.Planning;

public class DeterminismTests
{
    public static TheoryData<string> Nodes => new() { "cloud-gw", "cloud-w1", "edge1-gw", "edge1-w1", "edge2-gw", "nobody" };

    [Theory]
    [MemberData(nameof(Nodes))]
    public void Same_inputs_give_equal_plans(string node)
    {
        var first = Plan(node, Options with { ForwardNodeIp = true }, CloudAndTwoNatedEdges());
        var second = Plan(node, Options with { ForwardNodeIp = true }, CloudAndTwoNatedEdges());

        second.Should().Be(first);
        second.GetHashCode().Should().Be(first.GetHashCode());
    }

    [Theory]
    [MemberData(nameof(Nodes))]
    public void Shuffled_gateways_nodes_and_subnets_give_an_equal_plan(string node)
    {
        var expected = Plan(node, Options with { ForwardNodeIp = true }, CloudAndTwoNatedEdges());
        var random = new Random(20261122);

        for (var round = 0; round < 5; round++)
        {
            var shuffled = CloudAndTwoNatedEdges();
            foreach (var gateway in shuffled)
            {
                Shuffle(gateway.Status.Nodes!, random);
                gateway.Status.Nodes!.ForEach(n => Shuffle(n.Subnets, random));
            }

            Shuffle(shuffled, random);
            Plan(node, Options with { ForwardNodeIp = true }, shuffled).Should().Be(expected);
        }
    }

    [Fact]
    public void A_change_in_input_gives_an_unequal_plan()
    {
        var changed = CloudAndTwoNatedEdges();
        changed[1].Status.Nodes![1].Subnets.Add("10.244.12.0/24");

        Plan("cloud-gw", changed).Should().NotBe(Plan("cloud-gw", CloudAndTwoNatedEdges()));
    }

    private static void Shuffle<T>(IList<T> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static void Shuffle(Gateway[] gateways, Random random) => Shuffle((IList<Gateway>)gateways, random);
}
