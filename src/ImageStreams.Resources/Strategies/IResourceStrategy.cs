using ImageStreams.Model.Meta;
using ImageStreams.Model.Validation;

namespace ImageStreams.Resources.Strategies;

/// <summary>
/// The rules of one kind that the generic store does not know: its defaults, what a create or an update may change,
/// validation, and fields computed on every read. Metadata that every kind shares (uid, timestamps, versions) is the
/// store's; a strategy sees objects whose metadata is already settled.
/// </summary>
internal interface IResourceStrategy<T>
    where T : class, IResource
{
    ResourceType Type { get; }

    /// <summary>True for kinds whose spec changes count in <c>metadata.generation</c>.</summary>
    bool HasGeneration { get; }

    /// <summary>A copy with other metadata (a record's <c>with</c>, which generic code cannot write).</summary>
    T WithMetadata(T obj, ObjectMeta metadata);

    /// <summary>Defaults and server-owned parts of a new object; status is dropped unless <paramref name="scope"/> is All.</summary>
    T PrepareForCreate(T obj, WriteScope scope);

    /// <summary>Takes from <paramref name="old"/> what <paramref name="scope"/> does not write, and sets the generation.</summary>
    T PrepareForUpdate(T obj, T old, WriteScope scope);

    /// <summary>Field errors of an object about to be stored; <paramref name="old"/> is null on create.</summary>
    IReadOnlyList<FieldError> Validate(T obj, T? old);

    /// <summary>Fields computed on every read (never stored).</summary>
    T Decorate(T obj);
}
