namespace ImageStreams.Store;

/// <summary>Argument checks every backend shares, so a bad key fails the same way everywhere.</summary>
internal static class StoreArguments
{
    public static void ValidateKey(ObjectKey key)
    {
        if (string.IsNullOrEmpty(key.Resource) || key.Namespace is null || string.IsNullOrEmpty(key.Name))
        {
            throw new ArgumentException($"incomplete object key \"{key}\": resource and name are required, namespace may be empty", nameof(key));
        }
    }

    public static void ValidateResource(string resource) => ArgumentException.ThrowIfNullOrEmpty(resource);
}
