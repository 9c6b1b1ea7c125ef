using System.Globalization;
using System.Text.Json.Nodes;
using ImageStreams.Registry.References;

namespace ImageStreams.Builder.Images;

/// <summary>
/// An image configuration being changed by a build: starts as a copy of the base's (fields it does not know are
/// kept), takes each instruction's change, and is written out with the new layers' diff IDs and history.
/// </summary>
internal sealed class ImageConfig
{
    private readonly JsonObject root;
    private readonly string created;

    public ImageConfig(JsonObject? baseConfig, string os, string architecture, string? variant, DateTimeOffset created)
    {
        root = baseConfig?.DeepClone().AsObject() ?? new JsonObject { ["architecture"] = architecture, ["os"] = os };
        if (baseConfig is null && variant is not null)
        {
            root["variant"] = variant;
        }
        this.created = created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        // The base's container and its config describe how the base was made, not this image.
        root.Remove("container");
        root.Remove("container_config");
        root.Remove("id");
        root.Remove("parent");
        if (root["config"] is not JsonObject)
        {
            root["config"] = new JsonObject();
        }
        if (root["rootfs"] is not JsonObject)
        {
            root["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() };
        }
        if (root["history"] is not JsonArray)
        {
            root["history"] = new JsonArray();
        }
    }

    private JsonObject Config => root["config"]!.AsObject();

    public IReadOnlyList<string> Shell { get; private set; } = ["/bin/sh", "-c"];

    public string WorkingDirectory => Config["WorkingDir"]?.GetValue<string>() is { Length: > 0 } dir ? dir : "/";

    /// <summary>The value of an environment variable of the image; null when unset.</summary>
    public string? Env(string name)
    {
        foreach (var item in Array("Env"))
        {
            var entry = item?.GetValue<string>() ?? "";
            if (entry.StartsWith(name + "=", StringComparison.Ordinal))
            {
                return entry[(name.Length + 1)..];
            }
        }
        return null;
    }

    public void SetEnv(string name, string value)
    {
        var env = Array("Env");
        for (var i = 0; i < env.Count; i++)
        {
            if ((env[i]?.GetValue<string>() ?? "").StartsWith(name + "=", StringComparison.Ordinal))
            {
                env[i] = $"{name}={value}";
                return;
            }
        }
        env.Add($"{name}={value}");
    }

    public void SetLabel(string name, string value) => Object("Labels")[name] = value;

    public void SetCommand(IReadOnlyList<string>? command) => SetList("Cmd", command);

    public void SetEntrypoint(IReadOnlyList<string>? entrypoint) => SetList("Entrypoint", entrypoint);

    public void SetWorkingDirectory(string directory) => Config["WorkingDir"] = directory;

    public void SetUser(string user) => Config["User"] = user;

    public void SetStopSignal(string signal) => Config["StopSignal"] = signal;

    public void SetAuthor(string author) => root["author"] = author;

    public void AddExposedPort(string port) => Object("ExposedPorts")[port] = new JsonObject();

    public void AddVolume(string path) => Object("Volumes")[path] = new JsonObject();

    public void SetHealthcheck(JsonObject healthcheck) => Config["Healthcheck"] = healthcheck;

    public void SetShell(IReadOnlyList<string> shell)
    {
        Shell = shell;
        SetList("Shell", shell);
    }

    public void AddOnBuild(string trigger)
    {
        var onBuild = Config["OnBuild"] as JsonArray;
        if (onBuild is null)
        {
            Config["OnBuild"] = onBuild = [];
        }
        onBuild.Add(trigger);
    }

    /// <summary>The base's ONBUILD triggers, which an image built on it must run.</summary>
    public IReadOnlyList<string> InheritedOnBuild()
    {
        var triggers = (Config["OnBuild"] as JsonArray)?.Select(t => t?.GetValue<string>() ?? "").ToList() ?? [];
        Config.Remove("OnBuild");
        return triggers;
    }

    public void AddLayer(Digest diffId, string createdBy)
    {
        root["rootfs"]!["diff_ids"]!.AsArray().Add(diffId.ToString());
        History(createdBy, emptyLayer: false);
    }

    public void History(string createdBy, bool emptyLayer = true)
    {
        var entry = new JsonObject { ["created"] = created, ["created_by"] = createdBy };
        if (emptyLayer)
        {
            entry["empty_layer"] = true;
        }
        root["history"]!.AsArray().Add(entry);
    }

    /// <summary>The diff IDs of the base's layers, as its config lists them.</summary>
    public static IReadOnlyList<string> DiffIds(JsonObject? config) =>
        (config?["rootfs"]?["diff_ids"] as JsonArray)?.Select(d => d?.GetValue<string>() ?? "").ToList() ?? [];

    public byte[] ToBytes()
    {
        root["created"] = created;
        return System.Text.Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    private JsonArray Array(string name)
    {
        if (Config[name] is not JsonArray array)
        {
            Config[name] = array = [];
        }
        return array;
    }

    private JsonObject Object(string name)
    {
        if (Config[name] is not JsonObject value)
        {
            Config[name] = value = [];
        }
        return value;
    }

    private void SetList(string name, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            Config.Remove(name);
            return;
        }
        Config[name] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
    }
}
