using ImageStreams.Model.Meta;
using ImageStreams.Store;

namespace ImageStreams.Resources.Storage;

/// <summary>Maps the store's failures onto the API's error catalogue.</summary>
internal static class StoreErrors
{
    public static ApiException ToApi(StoreException e, ResourceType type) => e.Reason switch
    {
        StoreErrorReason.NotFound => ApiErrors.NotFound(type.GroupResource, e.Key.Name),
        StoreErrorReason.AlreadyExists => ApiErrors.AlreadyExists(type.GroupResource, e.Key.Name),
        StoreErrorReason.Conflict => ApiErrors.Conflict(type.GroupResource, e.Key.Name),
        // The store words it as Kubernetes does: "too old resource version: N (M)".
        StoreErrorReason.Gone => ApiErrors.Gone(e.Message),
        _ => ApiErrors.Internal(e.Message),
    };

    /// <summary>Parses a resource version from a request; empty means none.</summary>
    public static long? ParseResourceVersion(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        return long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : throw ApiErrors.BadRequest($"invalid resource version \"{value}\": it must be a number given by the server");
    }
}
