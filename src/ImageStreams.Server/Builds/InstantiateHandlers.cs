using ImageStreams.Controllers.Builds;
using ImageStreams.Model.Build;
using ImageStreams.Model.Meta;
using ImageStreams.Model.Serialization;
using ImageStreams.Resources;
using ImageStreams.Resources.Builds;
using ImageStreams.Server.Api;
using ImageStreams.Server.Api.Content;
using Microsoft.AspNetCore.Http;

namespace ImageStreams.Server.Builds;

/// <summary><c>POST .../buildconfigs/{name}/instantiate</c> with a BuildRequest: creates the next build and answers it (201).</summary>
internal sealed class InstantiateHandler(BuildInstantiator instantiator, ServerOptions options) : ISubresourceHandler
{
    /// <summary>What the body is decoded as (BuildRequest is no stored resource of its own).</summary>
    private static readonly ResourceType RequestType = new(
        BuildApi.Group, BuildApi.Version, "buildconfigs/instantiate", "", BuildRequest.KindName, true, [], ["create"], typeof(BuildRequest))
    { Stored = false };

    public ResourceType Type => ResourceTypes.BuildConfigs;

    public string Name => "instantiate";

    public string Verb => "create";

    public async Task HandleAsync(HttpContext context, string ns, string name)
    {
        var mediaType = RequestBodies.MediaType(context.Request);
        if (mediaType != MediaTypes.Json && !MediaTypes.IsYaml(mediaType))
        {
            throw ApiErrors.UnsupportedMediaType(mediaType);
        }
        var body = await RequestBodies.ReadAsync(context.Request, options.MaxRequestBodyBytes, context.RequestAborted).ConfigureAwait(false);
        var request = body.Length == 0
            ? new BuildRequest()
            : ResourceBodies.Decode<BuildRequest>(RequestType, RequestBodies.ParseObject(body, mediaType), strict: false);
        var build = await instantiator.InstantiateAsync(ns, name, request, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        await Responses.WriteAsync(context, StatusCodes.Status201Created, ResourceJson.ToNode(build)).ConfigureAwait(false);
    }
}

/// <summary>
/// <c>POST .../buildconfigs/{name}/instantiatebinary</c>: the body is the build's input, a tar archive (optionally
/// gzip-compressed) or, with <c>?asFile=NAME</c>, one file; it is kept for the build, which is then created (201).
/// </summary>
internal sealed class InstantiateBinaryHandler(BuildInstantiator instantiator, BuildFiles files, ServerOptions options) : ISubresourceHandler
{
    public ResourceType Type => ResourceTypes.BuildConfigs;

    public string Name => "instantiatebinary";

    public string Verb => "create";

    public async Task HandleAsync(HttpContext context, string ns, string name)
    {
        var query = context.Request.Query;
        var asFile = query["asFile"].ToString();
        if (asFile.Contains('/', StringComparison.Ordinal) || asFile is "." or "..")
        {
            throw ApiErrors.BadRequest($"asFile must be a file name without a directory (got \"{asFile}\")");
        }
        if (context.Request.ContentLength > options.MaxBuildInputBytes)
        {
            throw TooLarge();
        }
        var uploads = Path.Combine(files.Root, ".uploads");
        Directory.CreateDirectory(uploads);
        var upload = Path.Combine(uploads, Guid.NewGuid().ToString("N"));
        try
        {
            await ReceiveAsync(context.Request.Body, upload, context.RequestAborted).ConfigureAwait(false);
            var commit = query["revision.commit"].ToString();
            var request = new BuildRequest
            {
                Binary = new BinaryBuildSource { AsFile = string.IsNullOrEmpty(asFile) ? null : asFile },
                Revision = string.IsNullOrEmpty(commit) ? null : new SourceRevision
                {
                    Type = BuildSourceTypes.Git,
                    Git = new GitSourceRevision { Commit = commit, Message = query["revision.message"].ToString() },
                },
            };
            var build = await instantiator.InstantiateAsync(ns, name, request, binary: true, (build, _) =>
            {
                Directory.CreateDirectory(files.DirectoryOf(ns, build.Metadata.Name!));
                File.Move(upload, files.InputPath(ns, build.Metadata.Name!), overwrite: true);
                return Task.CompletedTask;
            }, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            await Responses.WriteAsync(context, StatusCodes.Status201Created, ResourceJson.ToNode(build)).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(upload);
        }
    }

    private async Task ReceiveAsync(Stream body, string path, CancellationToken cancellationToken)
    {
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        await using (file.ConfigureAwait(false))
        {
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > options.MaxBuildInputBytes)
                {
                    throw TooLarge();
                }
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private ApiException TooLarge() =>
        ApiErrors.TooLarge($"the build input is larger than the server accepts ({options.MaxBuildInputBytes} bytes, --max-build-input-bytes)");
}
