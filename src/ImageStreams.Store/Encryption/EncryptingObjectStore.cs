using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ImageStreams.Store.Encryption;

/// <summary>
/// Encrypts the objects of some resources (secrets) before they reach the inner store, and decrypts them on every read, as
/// Kubernetes' encryption at rest does. The stored form keeps only what addresses the object (kind, name, namespace) in clear;
/// everything else, annotations included, is one AES-256-GCM ciphertext bound to the object's key, so it cannot be moved to
/// another object. Objects stored before encryption are read as they are and encrypted by <see cref="EncryptStoredAsync"/>.
/// </summary>
public sealed class EncryptingObjectStore : IObjectStore
{
    /// <summary>The field of the stored form that holds the ciphertext.</summary>
    public const string EncryptedField = "encrypted";

    private const string Scheme = "aesgcm:v1:";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly IObjectStore inner;
    private readonly EncryptionKey encryptionKey;
    private readonly HashSet<string> resources;

    /// <param name="inner">The store that keeps the ciphertext.</param>
    /// <param name="key">The key; it stays in memory for the life of the store.</param>
    /// <param name="resources">The resources (as the store names them, "secrets") whose objects are encrypted.</param>
    public EncryptingObjectStore(IObjectStore inner, EncryptionKey key, IEnumerable<string> resources)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(key);
        this.inner = inner;
        encryptionKey = key;
        this.resources = new HashSet<string>(resources, StringComparer.Ordinal);
    }

    public async ValueTask<StoredObject?> GetAsync(ObjectKey key, CancellationToken cancellationToken = default) =>
        await inner.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } stored ? Decrypt(stored) : null;

    public async ValueTask<StoredList> ListAsync(string resource, string? ns, CancellationToken cancellationToken = default)
    {
        var list = await inner.ListAsync(resource, ns, cancellationToken).ConfigureAwait(false);
        return resources.Contains(resource) ? list with { Items = list.Items.Select(Decrypt).ToList() } : list;
    }

    public async ValueTask<IStoredListCursor> OpenListAsync(string resource, string? ns, CancellationToken cancellationToken = default)
    {
        var cursor = await inner.OpenListAsync(resource, ns, cancellationToken).ConfigureAwait(false);
        return resources.Contains(resource) ? new DecryptingCursor(cursor, this) : cursor;
    }

    public async ValueTask<StoredObject> CreateAsync(ObjectKey key, JsonObject obj, CancellationToken cancellationToken = default) =>
        Decrypt(await inner.CreateAsync(key, Encrypt(key, obj), cancellationToken).ConfigureAwait(false));

    public async ValueTask<StoredObject> UpdateAsync(
        ObjectKey key, JsonObject obj, long? expectedResourceVersion, CancellationToken cancellationToken = default) =>
        Decrypt(await inner.UpdateAsync(key, Encrypt(key, obj), expectedResourceVersion, cancellationToken).ConfigureAwait(false));

    public async ValueTask<StoredObject> DeleteAsync(ObjectKey key, long? expectedResourceVersion, CancellationToken cancellationToken = default) =>
        Decrypt(await inner.DeleteAsync(key, expectedResourceVersion, cancellationToken).ConfigureAwait(false));

    public ValueTask<int> DeleteNamespaceContentsAsync(string ns, CancellationToken cancellationToken = default) =>
        inner.DeleteNamespaceContentsAsync(ns, cancellationToken);

    public async IAsyncEnumerable<StoreEvent> WatchAsync(
        string? resource, string? ns, long sinceResourceVersion, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var e in inner.WatchAsync(resource, ns, sinceResourceVersion, cancellationToken).ConfigureAwait(false))
        {
            yield return resources.Contains(e.Object.Key.Resource) ? e with { Object = Decrypt(e.Object) } : e;
        }
    }

    public ValueTask<long> CurrentResourceVersionAsync(CancellationToken cancellationToken = default) =>
        inner.CurrentResourceVersionAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    /// <summary>Encrypts the objects of the encrypted resources that are still stored in clear; returns how many.</summary>
    public async Task<int> EncryptStoredAsync(CancellationToken cancellationToken = default)
    {
        var count = 0;
        foreach (var resource in resources)
        {
            var list = await inner.ListAsync(resource, null, cancellationToken).ConfigureAwait(false);
            foreach (var stored in list.Items.Where(s => !IsEncrypted(s.Object)))
            {
                try
                {
                    await inner.UpdateAsync(stored.Key, Encrypt(stored.Key, stored.Object), stored.ResourceVersion, cancellationToken).ConfigureAwait(false);
                    count++;
                }
                catch (StoreException e) when (e.Reason is StoreErrorReason.Conflict or StoreErrorReason.NotFound)
                {
                    // Written or deleted meanwhile: that write went through this store already.
                }
            }
        }
        return count;
    }

    private JsonObject Encrypt(ObjectKey key, JsonObject obj)
    {
        if (!resources.Contains(key.Resource))
        {
            return obj;
        }
        var plaintext = Encoding.UTF8.GetBytes(obj.ToJsonString());
        var sealedBytes = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(encryptionKey.Key, TagBytes))
        {
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceBytes, plaintext.Length), sealedBytes.AsSpan(NonceBytes + plaintext.Length), AssociatedData(key));
        }
        CryptographicOperations.ZeroMemory(plaintext);
        var metadata = new JsonObject { ["name"] = key.Name };
        if (key.Namespace.Length > 0)
        {
            metadata["namespace"] = key.Namespace;
        }
        var envelope = new JsonObject();
        foreach (var field in (string[])["apiVersion", "kind"])
        {
            if (obj[field] is { } value)
            {
                envelope[field] = value.DeepClone();
            }
        }
        envelope["metadata"] = metadata;
        envelope[EncryptedField] = $"{Scheme}{encryptionKey.Id}:{Convert.ToBase64String(sealedBytes)}";
        return envelope;
    }

    private StoredObject Decrypt(StoredObject stored)
    {
        if (!resources.Contains(stored.Key.Resource) || !IsEncrypted(stored.Object))
        {
            return stored;
        }
        var text = stored.Object[EncryptedField]!.GetValue<string>();
        var prefix = $"{Scheme}{encryptionKey.Id}:";
        if (!text.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{stored.Key} is encrypted with another key than this server's ({encryptionKey.Id})");
        }
        var sealedBytes = Convert.FromBase64String(text[prefix.Length..]);
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            throw new InvalidDataException($"{stored.Key}: the encrypted data is cut short");
        }
        var plaintext = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        try
        {
            using var aes = new AesGcm(encryptionKey.Key, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, plaintext.Length),
                sealedBytes.AsSpan(NonceBytes + plaintext.Length), plaintext, AssociatedData(stored.Key));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new InvalidDataException($"{stored.Key}: the encrypted data was changed or belongs to another object", e);
        }
        var obj = ObjectJson.Parse(plaintext);
        CryptographicOperations.ZeroMemory(plaintext);
        ObjectJson.WithResourceVersion(obj, stored.ResourceVersion);
        return new StoredObject(stored.Key, stored.ResourceVersion, obj);
    }

    private static bool IsEncrypted(JsonObject obj) => obj[EncryptedField] is JsonValue value && value.TryGetValue<string>(out _);

    private static byte[] AssociatedData(ObjectKey key) => Encoding.UTF8.GetBytes(key.ToString());

    /// <summary>A list cursor over encrypted objects that hands out their plain form.</summary>
    private sealed class DecryptingCursor(IStoredListCursor inner, EncryptingObjectStore store) : IStoredListCursor
    {
        public long ResourceVersion => inner.ResourceVersion;

        public async ValueTask<StoredObject?> NextAsync(CancellationToken cancellationToken = default) =>
            await inner.NextAsync(cancellationToken).ConfigureAwait(false) is { } stored ? store.Decrypt(stored) : null;

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
