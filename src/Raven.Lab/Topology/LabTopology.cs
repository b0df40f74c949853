namespace Raven.Lab.Topology;

/// <summary>The whole lab: the internet namespace and the domains around it, with names under one prefix.</summary>
public sealed record LabTopology(LabNames Names, LabInternet Internet, IReadOnlyList<LabDomain> Domains)
{
    public IEnumerable<LabNode> Nodes => Domains.SelectMany(d => d.Nodes);

    public LabDomain DomainOf(LabNode node) => Domains.Single(d => d.Nodes.Contains(node));

    public LabDomain Domain(string key) =>
        Domains.SingleOrDefault(d => d.Key == key) ?? throw new ArgumentException($"no lab domain '{key}'", nameof(key));

    public LabNode Node(string labName) =>
        Nodes.SingleOrDefault(n => n.LabName == labName) ?? throw new ArgumentException($"no lab node '{labName}'", nameof(labName));

    /// <summary>Every namespace the lab creates, parents before children.</summary>
    public IReadOnlyList<string> Namespaces =>
    [
        Names.Internet,
        .. Domains.Select(Names.Router),
        .. Nodes.Select(Names.Node),
        .. Nodes.Select(Names.Pod),
    ];

    /// <summary>The seed manual's cluster plus a conflicting edge domain; see <see cref="SeedTopology"/>.</summary>
    public static LabTopology Seed(string prefix = LabNames.DefaultPrefix) => SeedTopology.Create(prefix);
}
