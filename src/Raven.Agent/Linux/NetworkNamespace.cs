using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Raven.Agent.Linux.Native;

namespace Raven.Agent.Linux;

/// <summary>
/// Runs code inside a named network namespace (/var/run/netns/NAME) on a dedicated thread. setns changes only the
/// calling thread, so a pooled thread must never do it; a dedicated thread that ends afterwards leaves nothing behind.
/// Sockets created there stay in that namespace for their whole life.
/// </summary>
public static class NetworkNamespace
{
    public const string NamedPath = "/var/run/netns";

    public static T Run<T>(string name, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        string path = PathOf(name);
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read))
                {
                    if (LibC.SetNs((int)handle.DangerousGetHandle(), LibC.CloneNewNet) != 0)
                    {
                        throw new IOException($"setns into network namespace '{name}': {LibC.ErrorText(Marshal.GetLastPInvokeError())}");
                    }
                }

                result = action();
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        })
        {
            IsBackground = true,
            Name = $"netns:{name}",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    public static void Run(string name, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run(name, () =>
        {
            action();
            return true;
        });
    }

    private static string PathOf(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('/', StringComparison.Ordinal) || name is "." or "..")
        {
            throw new ArgumentException($"invalid network namespace name '{name}'", nameof(name));
        }

        string path = Path.Combine(NamedPath, name);
        if (!File.Exists(path))
        {
            throw new ArgumentException($"network namespace '{name}' does not exist ({path} missing)", nameof(name));
        }

        return path;
    }
}
