namespace Raven.Agent.Linux;

public enum NeighborWriteMode
{
    /// <summary>Create; fail with EEXIST if an entry exists.</summary>
    Add,

    /// <summary>Create or overwrite.</summary>
    Replace,

    /// <summary>Add another remote for the same MAC (VXLAN FDB, e.g. all-zero MAC flooding to several VTEPs).</summary>
    Append,
}
