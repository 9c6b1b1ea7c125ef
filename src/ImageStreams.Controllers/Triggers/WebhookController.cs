using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using ImageStreams.Controllers.Streams;
using ImageStreams.Model.Image;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;
using ImageStreams.Resources;
using Microsoft.Extensions.Logging;

namespace ImageStreams.Controllers.Triggers;

/// <summary>Where a stream's tag moves are posted: the value of the <see cref="WebhookController.WebhookAnnotation"/> annotation.</summary>
/// <param name="Url">The http or https address events are POSTed to.</param>
/// <param name="Secret">A Secret of the stream's namespace and its key, whose value signs each event; unsigned when null.</param>
/// <param name="Tags">The tags to report; every tag when null or empty.</param>
public sealed record WebhookTarget(string Url, WebhookSecret? Secret = null, IReadOnlyList<string>? Tags = null);

public sealed record WebhookSecret(string Name, string Key = "secret");

/// <summary>One event: a tag of a stream moved from one image to another at <c>Time</c> (when the new image reached the tag).</summary>
public sealed record WebhookEvent(string Type, string Namespace, string Stream, string Tag, string? OldImage, string NewImage, string NewImageReference, DateTimeOffset Time);

/// <summary>
/// Posts a JSON event when a tag of an annotated image stream moves, so deployment tools can react. Each event is signed
/// with HMAC-SHA256 of the body under the secret (<c>X-ImageStreams-Signature: sha256=HEX</c>); a failed delivery (a
/// network error or a status other than 2xx) is retried with capped exponential backoff until it succeeds. The images
/// delivered are recorded on the stream (<see cref="DeliveredAnnotation"/>), so a restart neither repeats nor loses one;
/// a new webhook starts from the images the tags have when it is added.
/// </summary>
public sealed class WebhookController : ImageStreamController
{
    public const string WebhookAnnotation = "triggers.imagestreams.io/webhook";
    public const string DeliveredAnnotation = "triggers.imagestreams.io/webhook-delivered";
    public const string SignatureHeader = "X-ImageStreams-Signature";
    public const string EventType = "ImageStreamTagChanged";

    private readonly ResourceSet resources;
    private readonly HttpClient http;

    public WebhookController(ResourceSet resources, TimeProvider time, ILogger<WebhookController> logger, TimeSpan? timeout = null)
        : base(resources.ImageStreams, time, logger, workers: 2)
    {
        this.resources = resources;
        http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = timeout ?? TimeSpan.FromSeconds(10) };
    }

    public override void Dispose()
    {
        http.Dispose();
        base.Dispose();
    }

    protected override IEnumerable<string> KeysFor(string eventType, ImageStream stream) =>
        eventType != WatchEvent<ImageStream>.Deleted && stream.Metadata.Annotation(WebhookAnnotation) is not null ? [KeyOf(stream)] : [];

    protected override async Task SyncAsync(string key, CancellationToken cancellationToken)
    {
        var (ns, name) = SplitKey(key);
        var stream = await resources.ImageStreams.FindAsync(ns, name, cancellationToken).ConfigureAwait(false);
        if (stream?.Metadata.Annotation(WebhookAnnotation) is not { } value)
        {
            return;
        }
        WebhookTarget? target;
        try
        {
            target = JsonSerializer.Deserialize<WebhookTarget>(value, ResourceJson.Options);
        }
        catch (JsonException e)
        {
            Logger.LogWarning("webhook of image stream {Key}: the annotation {Annotation} is not valid JSON: {Message}", key, WebhookAnnotation, e.Message);
            return;
        }
        if (target is null || !Uri.TryCreate(target.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            Logger.LogWarning("webhook of image stream {Key}: {Annotation} needs a url with http or https", key, WebhookAnnotation);
            return;
        }

        var delivered = ReadDelivered(stream);
        var seen = new Dictionary<string, string>(delivered, StringComparer.Ordinal);
        var first = stream.Metadata.Annotation(DeliveredAnnotation) is null;
        foreach (var history in stream.Status?.Tags ?? [])
        {
            if (history.Items.Count == 0 || (target.Tags is { Count: > 0 } tags && !tags.Contains(history.Tag)))
            {
                continue;
            }
            var latest = history.Items[0];
            delivered.TryGetValue(history.Tag, out var old);
            if (old == latest.Image)
            {
                continue;
            }
            if (!first)
            {
                var body = JsonSerializer.SerializeToUtf8Bytes(new WebhookEvent(EventType, ns, name, history.Tag, old, latest.Image,
                    TagHistory.ResolveReference(stream, history.Tag, latest), latest.Created), ResourceJson.Options);
                var secret = target.Secret is null ? null : await SecretAsync(ns, target.Secret, cancellationToken).ConfigureAwait(false);
                await PostAsync(url, body, secret, cancellationToken).ConfigureAwait(false);
                Logger.LogInformation("webhook of image stream {Key}: {Tag} moved to {Image}, delivered to {Url}", key, history.Tag, latest.Image, url);
            }
            seen[history.Tag] = latest.Image;
            // Recorded after each delivery, so a later failure does not repeat this one.
            await RecordAsync(ns, name, seen, cancellationToken).ConfigureAwait(false);
        }
        if (first && seen.Count == 0)
        {
            await RecordAsync(ns, name, seen, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>HMAC-SHA256 of the body under the secret, as the signature header carries it.</summary>
    public static string Sign(byte[] secret, byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    private async Task PostAsync(Uri url, byte[] body, byte[]? secret, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-ImageStreams-Event", EventType);
        if (secret is not null)
        {
            request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(secret, body));
        }
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(string.Create(CultureInfo.InvariantCulture, $"POST {url} answered {(int)response.StatusCode}"));
        }
    }

    private async Task<byte[]> SecretAsync(string ns, WebhookSecret reference, CancellationToken cancellationToken)
    {
        var secret = await resources.Secrets.FindAsync(ns, reference.Name, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"secret {ns}/{reference.Name} of the webhook does not exist");
        return secret.Data is not null && secret.Data.TryGetValue(reference.Key, out var value)
            ? Convert.FromBase64String(value)
            : throw new InvalidOperationException($"secret {ns}/{reference.Name} has no key {reference.Key}");
    }

    private static Dictionary<string, string> ReadDelivered(ImageStream stream)
    {
        try
        {
            return stream.Metadata.Annotation(DeliveredAnnotation) is { } value
                ? JsonSerializer.Deserialize<Dictionary<string, string>>(value) ?? new(StringComparer.Ordinal)
                : new(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return new(StringComparer.Ordinal);
        }
    }

    private Task RecordAsync(string ns, string name, Dictionary<string, string> seen, CancellationToken cancellationToken) =>
        resources.ImageStreams.GuaranteedUpdateAsync(ns, name, s => s with
        {
            Metadata = s.Metadata.WithAnnotation(DeliveredAnnotation, JsonSerializer.Serialize(seen.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary())),
        }, WriteScope.Status, cancellationToken).AsTask();
}
