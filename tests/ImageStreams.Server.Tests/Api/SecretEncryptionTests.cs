using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ImageStreams.Server.Tests.Support;
using ImageStreams.Store.Encryption;

namespace ImageStreams.Server.Tests.Api;

public class SecretEncryptionTests
{
    private const string Password = "s3cr3t-registry-password-7f1c";

    [Fact]
    public async Task SecretData_IsPlainThroughTheApi_AndNowhereInTheDataDirectory()
    {
        var data = new ImageStreams.Testing.Processes.TempDirectory("imagestreams-secrets");
        var server = await TestServer.StartAsync(data: data);
        var config = "{\"auths\":{\"registry.example.com\":{\"username\":\"robot\",\"password\":\"" + Password + "\"}}}";
        var created = await server.PostAsync("/api/v1/namespaces/default/secrets", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = "pull" },
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["stringData"] = new JsonObject { [".dockerconfigjson"] = config },
        });
        Assert.Equal(HttpStatusCode.Created, created.Status);

        server = await server.RestartAsync();
        var read = await server.GetAsync("/api/v1/namespaces/default/secrets/pull");
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(config, Encoding.UTF8.GetString(Convert.FromBase64String(read.Object["data"]![".dockerconfigjson"]!.GetValue<string>())));
        await server.Server.DisposeAsync();

        var dataDir = server.Options.DataDir;
        var keyFile = Path.Combine(dataDir, EncryptionKey.DefaultFileName);
        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
        var forms = new[] { Password, Convert.ToBase64String(Encoding.UTF8.GetBytes(config)), "robot" }.Select(Encoding.UTF8.GetBytes).ToList();
        var files = Directory.GetFiles(dataDir, "store.db*");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            Assert.All(forms, form => Assert.Equal(-1, bytes.AsSpan().IndexOf(form)));
        }
        await server.DisposeAsync();
    }
}
