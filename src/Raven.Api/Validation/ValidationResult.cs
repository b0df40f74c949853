namespace Raven.Api.Validation;

/// <summary>Every problem found at once: errors reject the object, warnings are shown and accepted.</summary>
public sealed class ValidationResult
{
    public ValidationResult(IEnumerable<FieldError> problems)
    {
        var all = problems.ToList();
        Errors = all.Where(p => !p.IsWarning).ToList();
        Warnings = all.Where(p => p.IsWarning).ToList();
    }

    public IReadOnlyList<FieldError> Errors { get; }

    public IReadOnlyList<FieldError> Warnings { get; }

    public bool IsValid => Errors.Count == 0;
}
