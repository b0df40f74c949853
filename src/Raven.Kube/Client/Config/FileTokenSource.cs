namespace Raven.Kube.Client.Config;

/// <summary>
/// A token read from a file and re-read when the file changes. Kubelet rotates projected service-account
/// tokens by swapping a symlink, so the write time of the resolved file changes; a periodic re-read covers
/// file systems whose timestamps do not move.
/// </summary>
public sealed class FileTokenSource : ITokenSource
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private string? _token;
    private DateTime _fileTime;
    private DateTimeOffset _readAt;

    public FileTokenSource(string path, TimeProvider? time = null)
    {
        _path = path;
        _time = time ?? TimeProvider.System;
    }

    public string Path => _path;

    public string GetToken()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var fileTime = File.GetLastWriteTimeUtc(_path);
            if (_token is null || fileTime != _fileTime || now - _readAt >= MaxAge)
            {
                _token = Read();
                _fileTime = fileTime;
                _readAt = now;
            }

            return _token;
        }
    }

    private string Read()
    {
        try
        {
            var token = File.ReadAllText(_path).Trim();
            return token.Length > 0 ? token : throw new KubeConfigException($"token file '{_path}' is empty");
        }
        catch (IOException e)
        {
            throw new KubeConfigException($"token file '{_path}' cannot be read: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new KubeConfigException($"token file '{_path}' cannot be read: {e.Message}", e);
        }
    }
}
