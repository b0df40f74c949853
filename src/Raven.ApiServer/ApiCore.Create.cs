using System.Text.Json.Nodes;
using Raven.ApiServer.Apply;
using Raven.ApiServer.Validation;

namespace Raven.ApiServer;

internal sealed partial class ApiCore
{
    public JsonObject Create(ResourceType type, string version, string? ns, JsonObject body, WriteOptions? options = null)
    {
        StoredObject stored;
        lock (_store.Gate)
        {
            stored = CreateLocked(type, version, ns, body, options ?? WriteOptions.Default);
        }

        return _codec.ToVersion(type, stored.Parse(), version);
    }

    /// <param name="applied">The managedFields of an apply that creates the object; null records the create as an Update.</param>
    private StoredObject CreateLocked(ResourceType type, string version, string? ns, JsonObject body, WriteOptions options,
        List<ManagedFieldsEntry>? applied = null)
    {
        CheckTypeMeta(type, version, body);
        var meta = ObjectMeta.Of(body);
        if (meta["name"] is { } rawName && ObjectMeta.Text(meta, "name") is null)
        {
            throw ApiException.Invalid(type, "", [new FieldError("metadata.name", $"Invalid value: {Validation.ModelShape.Show(rawName)}: must be of type string", "FieldValueTypeInvalid")]);
        }

        var name = ObjectMeta.Text(meta, "name");
        if (string.IsNullOrEmpty(name))
        {
            var prefix = ObjectMeta.Text(meta, "generateName");
            if (string.IsNullOrEmpty(prefix))
            {
                throw ApiException.Invalid(type, "", [new FieldError("metadata.name", "Required value: name or generateName is required", "FieldValueRequired")]);
            }

            do
            {
                name = ObjectMeta.GenerateName(prefix);
            }
            while (_store.Get(type.TypeKey, ns, name) is not null);
            meta["name"] = name;
        }

        if (ObjectMeta.ValidateName(name, type == BuiltinResources.Namespaces) is { } nameError) throw ApiException.Invalid(type, name, [nameError]);
        ns = CheckNamespace(type, ns, meta);
        if (_store.Get(type.TypeKey, ns, name) is not null) throw ApiException.AlreadyExists(type, name);

        foreach (var field in new[] { "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields" }) meta.Remove(field);
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = ObjectMeta.Now(_clock);
        meta["generation"] = 1;
        if (type.IsCustom && type.HasStatus) body.Remove("status");

        var storage = Admit(type, version, body, null, subresource: null, options);
        PrepareBuiltinCreate(type, storage, options);
        StampManagedFields(type, version, null, storage, applied ?? [], applied is not null, null, options);
        CheckSize(type, storage);
        if (options.DryRun) return DryRunResult(type, storage, null);
        var stored = _store.Put(type.TypeKey, storage);
        AfterWrite(type, stored, null);
        return stored;
    }

    /// <summary>
    /// Prunes and schema-checks a custom resource in the client's version, then lets the hooks default and validate it;
    /// returns it in storage form. Schema errors stop the write before any hook runs, as the apiextensions server
    /// decodes and validates before admission webhooks see an object. The hooks stand for admission webhooks
    /// registered for the resource, so status writes get the schema checks only.
    /// </summary>
    private JsonObject Admit(ResourceType type, string version, JsonObject obj, JsonObject? oldInVersion, string? subresource, WriteOptions options)
    {
        var warn = options.Warn;
        if (!type.IsCustom)
        {
            AdmitBuiltin(type, version, obj, options);
            return obj;
        }

        var hooks = subresource is null ? _codec.HooksFor(type) : null;
        var name = ObjectMeta.Text(ObjectMeta.Of(obj), "name") ?? "";
        if (type.Schemas.TryGetValue(version, out var schema))
        {
            TypedDecoding.ReportUnknown(type, version, SchemaPruner.Prune(obj, schema), options.FieldValidation, warn);
            var schemaErrors = SchemaValidator.Validate(obj, schema);
            if (schemaErrors.Count > 0) throw ApiException.Invalid(type, name, schemaErrors);
        }

        if (hooks is null) return _codec.ToVersion(type, obj, type.StorageVersion);
        var errors = new List<FieldError>();
        try
        {
            hooks.Default(obj, version);
            var verdict = hooks.Validate(obj, oldInVersion, version);
            foreach (var warning in verdict.Warnings) warn?.Invoke(warning);
            errors.AddRange(verdict.Errors);
        }
        catch (Exception e) when (e is not ApiException)
        {
            // A hook that fails on an object the schema accepted is a server bug; the client still gets a Status.
            throw new ApiException(500, "InternalError", $"Internal error occurred: admission of {type.Kind} \"{name}\" failed: {e.Message}");
        }

        if (errors.Count > 0) throw ApiException.Invalid(type, name, errors);
        return _codec.ToVersion(type, obj, type.StorageVersion);
    }

    /// <summary>Decodes a built-in kind into its typed model (type errors, unknown fields), then runs the kind's own checks.</summary>
    private static void AdmitBuiltin(ResourceType type, string version, JsonObject obj, WriteOptions options)
    {
        if (type.Model is null) return;
        var typed = TypedDecoding.Decode(type, version, obj, options.FieldValidation, options.Warn);
        var errors = BuiltinRules.Check(typed);
        if (errors.Count > 0) throw ApiException.Invalid(type, ObjectMeta.Text(ObjectMeta.Of(obj), "name") ?? "", errors);
    }

    private static void CheckTypeMeta(ResourceType type, string version, JsonObject body)
    {
        var apiVersion = ObjectMeta.Text(body, "apiVersion");
        var kind = ObjectMeta.Text(body, "kind");
        if (string.IsNullOrEmpty(apiVersion)) body["apiVersion"] = type.ApiVersion(version);
        else if (apiVersion != type.ApiVersion(version))
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({type.ApiVersion(version)})");
        }

        if (string.IsNullOrEmpty(kind)) body["kind"] = type.Kind;
        else if (kind != type.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind}) for {type.QualifiedPlural}");
        }
    }

    private string? CheckNamespace(ResourceType type, string? ns, JsonObject meta)
    {
        var bodyNs = ObjectMeta.Text(meta, "namespace");
        if (!type.Namespaced)
        {
            meta.Remove("namespace");
            return null;
        }

        if (!string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        meta["namespace"] = ns;
        var nsObj = _store.Get(BuiltinResources.Namespaces.TypeKey, null, ns!) ?? throw ApiException.NotFound(BuiltinResources.Namespaces, ns!);
        if (ObjectMeta.Of(nsObj.Parse())["deletionTimestamp"] is not null)
        {
            throw new ApiException(403, "Forbidden",
                $"{type.QualifiedPlural} \"{ObjectMeta.Text(meta, "name")}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated");
        }

        return ns;
    }
}
