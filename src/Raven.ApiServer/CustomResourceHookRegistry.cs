using System.Collections.Concurrent;

namespace Raven.ApiServer;

/// <summary>Admission and conversion hooks for custom resources, looked up by group and kind.</summary>
public sealed class CustomResourceHookRegistry
{
    private readonly ConcurrentDictionary<(string Group, string Kind), ICustomResourceHooks> _hooks = new();

    public void Register(string group, string kind, ICustomResourceHooks hooks) => _hooks[(group, kind)] = hooks;

    public ICustomResourceHooks? Find(string group, string kind) => _hooks.TryGetValue((group, kind), out var h) ? h : null;
}
