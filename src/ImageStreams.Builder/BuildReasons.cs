namespace ImageStreams.Builder;

/// <summary>The reasons a <see cref="BuildException"/> carries: OpenShift's Build status reasons, and the builders' own.</summary>
public static class BuildReasons
{
    /// <summary>The Dockerfile is invalid, or one of its steps failed.</summary>
    public const string DockerBuildFailed = "DockerBuildFailed";

    /// <summary>The base (or source-to-image builder) image cannot be pulled.</summary>
    public const string PullBuilderImageFailed = "PullBuilderImageFailed";

    /// <summary>The result cannot be pushed to the output.</summary>
    public const string PushImageToRegistryFailed = "PushImageToRegistryFailed";

    /// <summary>The sources cannot be fetched (git clone, archive).</summary>
    public const string FetchSourceFailed = "FetchSourceFailed";

    /// <summary>The builder image of a source build lacks what source-to-image needs.</summary>
    public const string BuilderImageInvalid = "BuilderImageInvalid";

    /// <summary>The build needs a step the native builder does not do (RUN, COPY --from, a remote ADD); buildah can build it.</summary>
    public const string NativeBuildUnsupported = "NativeBuildUnsupported";

    /// <summary>The build needs buildah, which is not installed.</summary>
    public const string BuildahNotInstalled = "BuildahNotInstalled";

    /// <summary>Any other failure of the build.</summary>
    public const string GenericBuildFailed = "GenericBuildFailed";
}
