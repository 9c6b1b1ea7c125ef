namespace ImageStreams.Model.Build;

/// <summary>Names of the build.openshift.io API group and the labels and annotations OpenShift puts on builds.</summary>
public static class BuildApi
{
    public const string Group = "build.openshift.io";
    public const string Version = "v1";
    public const string GroupVersion = Group + "/" + Version;

    /// <summary>The label naming a build's BuildConfig (the current one).</summary>
    public const string BuildConfigLabel = "openshift.io/build-config.name";

    /// <summary>The older label naming a build's BuildConfig; OpenShift still sets both.</summary>
    public const string BuildConfigLabelDeprecated = "buildconfig";

    /// <summary>The annotation naming a build's BuildConfig.</summary>
    public const string BuildConfigAnnotation = "openshift.io/build-config.name";

    /// <summary>The annotation holding a build's number (the BuildConfig's lastVersion when it was made).</summary>
    public const string BuildNumberAnnotation = "openshift.io/build.number";
}

/// <summary>The phases of a build, in OpenShift's words.</summary>
public static class BuildPhases
{
    public const string New = "New";
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Complete = "Complete";
    public const string Failed = "Failed";
    public const string Error = "Error";
    public const string Cancelled = "Cancelled";

    public static IReadOnlyList<string> All { get; } = [New, Pending, Running, Complete, Failed, Error, Cancelled];

    /// <summary>True once a build has ended, whatever the outcome.</summary>
    public static bool IsTerminal(string? phase) => phase is Complete or Failed or Error or Cancelled;
}

/// <summary>How builds of one BuildConfig run relative to each other.</summary>
public static class BuildRunPolicies
{
    /// <summary>One at a time, in the order they were created.</summary>
    public const string Serial = "Serial";

    /// <summary>One at a time; a new build cancels the older ones still waiting.</summary>
    public const string SerialLatestOnly = "SerialLatestOnly";

    /// <summary>As they come, side by side.</summary>
    public const string Parallel = "Parallel";

    public static IReadOnlyList<string> All { get; } = [Serial, SerialLatestOnly, Parallel];
}

public static class BuildSourceTypes
{
    public const string Git = "Git";
    public const string Dockerfile = "Dockerfile";
    public const string Binary = "Binary";
    public const string None = "None";
}

public static class BuildStrategyTypes
{
    public const string Docker = "Docker";
    public const string Source = "Source";
}

public static class BuildTriggerTypes
{
    public const string GitHub = "GitHub";
    public const string Generic = "Generic";
    public const string GitLab = "GitLab";
    public const string Bitbucket = "Bitbucket";
    public const string ImageChange = "ImageChange";
    public const string ConfigChange = "ConfigChange";
}

/// <summary>Reasons a build ends other than Complete, as OpenShift names them.</summary>
public static class BuildReasons
{
    public const string CancelledBuild = "CancelledBuild";
    public const string FetchSourceFailed = "FetchSourceFailed";
    public const string InvalidOutputReference = "InvalidOutputReference";
    public const string CannotRetrieveImage = "CannotRetrieveImage";
    public const string GenericBuildFailed = "GenericBuildFailed";
    public const string BuildInterrupted = "BuildInterrupted";
    public const string MissingBinaryInput = "MissingBinaryInput";
}
