using Raven.Agent.Linux.Processes;
using Raven.Lab.Shell;

namespace Raven.Lab.Build;

/// <summary>Commands for one namespace that must run in order.</summary>
public sealed record LabJob(string Namespace, IReadOnlyList<CommandLine> Commands);

/// <summary>
/// A step of the build. Its jobs touch disjoint state and run in parallel; a stage starts only when the previous one
/// has finished, because it uses what that one created (veths created from one namespace appear in another).
/// </summary>
public sealed record LabStage(string Name, IReadOnlyList<LabJob> Jobs);
