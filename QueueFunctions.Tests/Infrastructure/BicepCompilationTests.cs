using System.Text.Json;

namespace QueueFunctions.Tests.Infrastructure;

/// <summary>
/// infra/main.bicep compiles and lints clean with the pinned Bicep CLI, and the compiled ARM JSON
/// keeps the security and runtime promises of the deployment (see docs/DEPLOY.md).
/// </summary>
public sealed class BicepCompilationTests(CompiledTemplate template) : IClassFixture<CompiledTemplate>
{
    private const string BlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string QueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string TableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    /// <summary>Every <c>Queue:*</c> and <c>History:*</c> setting the app reads, with its default, taken from the options classes themselves.</summary>
    public static readonly TheoryData<string, string, string> AppSettingDefaults = SettingDefaults();

    private static TheoryData<string, string, string> SettingDefaults()
    {
        var data = new TheoryData<string, string, string>();
        Add(QueueFunctions.Configuration.QueueOptions.Section, new QueueFunctions.Configuration.QueueOptions());
        Add(QueueFunctions.Configuration.HistoryOptions.Section, new QueueFunctions.Configuration.HistoryOptions());
        Add(QueueFunctions.Configuration.PushOptions.Section, new QueueFunctions.Configuration.PushOptions());
        foreach (var (key, schedule) in QueueFunctions.Configuration.TimerSchedules.Defaults)
        {
            var (section, setting) = (key.Split(':')[0], key.Split(':')[1]);
            data.Add(section, setting, schedule);
        }

        return data;

        void Add(string section, object defaults)
        {
            foreach (var property in defaults.GetType().GetProperties().Where(p => p.CanWrite))
            {
                data.Add(section, property.Name, Convert.ToString(property.GetValue(defaults), System.Globalization.CultureInfo.InvariantCulture)!);
            }
        }
    }

    [Fact]
    public void Main_bicep_builds_with_no_errors_and_no_linter_warnings()
    {
        Assert.True(template.Build.ExitCode == 0, "bicep build failed:\n" + template.Build.StandardError);
        // Bicep writes every diagnostic (errors, warnings, linter rules at any level) to stderr.
        Assert.True(string.IsNullOrWhiteSpace(template.Build.StandardError), "bicep build reported:\n" + template.Build.StandardError);
        Assert.Equal(JsonValueKind.Object, template.Root.ValueKind);
    }

    [Fact]
    public void Main_bicep_lints_clean()
    {
        var lint = RepoFiles.Run(RepoFiles.BicepExecutable(), ["lint", RepoFiles.PathOf("infra", "main.bicep")], TimeSpan.FromMinutes(3));
        Assert.True(lint.ExitCode == 0 && string.IsNullOrWhiteSpace(lint.StandardError) && string.IsNullOrWhiteSpace(lint.StandardOutput),
            $"bicep lint exit {lint.ExitCode}:\n{lint.StandardOutput}\n{lint.StandardError}");
    }

    /// <summary>
    /// The rule, explicitly: no app setting may carry a storage connection string or account key,
    /// an Application Insights instrumentation key, or an expression that reads keys or connection
    /// strings from a resource. A setting named like a connection string may only be a Key Vault reference.
    /// </summary>
    [Fact]
    public void No_app_setting_holds_a_connection_string_account_key_or_instrumentation_key()
    {
        var settings = AppSettings();
        string[] forbiddenNames =
        [
            "AzureWebJobsStorage", // the connection-string form; identity-based uses AzureWebJobsStorage__*
            "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
            "APPINSIGHTS_INSTRUMENTATIONKEY",
            "DEPLOYMENT_STORAGE_CONNECTION_STRING",
        ];
        foreach (var name in forbiddenNames)
        {
            Assert.False(settings.ContainsKey(name), $"App setting {name} must not exist.");
        }

        string[] forbiddenInValues =
        [
            "AccountKey", "DefaultEndpointsProtocol", "SharedAccessSignature", "SharedAccessKey",
            "InstrumentationKey", "listKeys", "listSecrets", "primaryKey", "secondaryKey",
            ".ConnectionString", // a property read such as reference(appInsights).ConnectionString
        ];
        foreach (var (name, value) in settings)
        {
            foreach (var forbidden in forbiddenInValues)
            {
                Assert.False(value.Contains(forbidden, StringComparison.OrdinalIgnoreCase),
                    $"App setting {name} contains '{forbidden}': {value}");
            }

            if (name.Contains("CONNECTION_STRING", StringComparison.OrdinalIgnoreCase)
                || name.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase))
            {
                Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri=", value);
            }
        }

        // Nor may the site carry connection strings outside its app settings.
        Assert.False(template.Single("Microsoft.Web/sites").Properties.GetProperty("siteConfig").TryGetProperty("connectionStrings", out _));

        // Nowhere in the whole template may a storage key be read.
        Assert.DoesNotContain("listKeys(", template.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("AccountKey=", template.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Host_storage_is_reached_through_the_user_assigned_identity()
    {
        var settings = AppSettings();
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("[parameters('identityClientId')]", settings["AzureWebJobsStorage__clientId"]);
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            Assert.Contains($".primaryEndpoints.{service}", settings[$"AzureWebJobsStorage__{service}ServiceUri"]);
        }

        Assert.Equal("[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]",
            settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        // FUNCTIONS_WORKER_RUNTIME is refused on Flex Consumption: the runtime lives in functionAppConfig.
        Assert.False(settings.ContainsKey("FUNCTIONS_WORKER_RUNTIME"));
    }

    [Theory]
    [MemberData(nameof(AppSettingDefaults))]
    public void Every_app_setting_is_set_from_a_parameter_with_the_documented_default(string section, string setting, string defaultValue)
    {
        Assert.True(AppSettings().ContainsKey($"{section}__{setting}"), $"App setting {section}__{setting} is missing.");
        var parameter = template.Root.GetProperty("parameters").GetProperty($"{section.ToLowerInvariant()}{setting}");
        Assert.Equal(defaultValue, parameter.GetProperty("defaultValue").ToString());
    }

    [Fact]
    public void Storage_account_refuses_shared_keys_plain_http_and_old_tls()
    {
        var storage = template.Single("Microsoft.Storage/storageAccounts").Properties;
        Assert.False(storage.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.True(storage.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.Equal("TLS1_2", storage.GetProperty("minimumTlsVersion").GetString());
        Assert.False(storage.GetProperty("allowBlobPublicAccess").GetBoolean());
    }

    [Fact]
    public void Storage_holds_the_deployment_container_and_the_events_queue()
    {
        Assert.Single(template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"));
        var queue = template.Single("Microsoft.Storage/storageAccounts/queueServices/queues");
        Assert.Equal("queue-events", CompiledTemplate.LastNameSegment(queue.Name));
    }

    [Fact]
    public void Storage_holds_the_history_table_named_by_the_app_setting()
    {
        var table = template.Single("Microsoft.Storage/storageAccounts/tableServices/tables");
        Assert.Contains("historyTableName", table.Name);
        Assert.Equal("queuehistory", template.Root.GetProperty("parameters").GetProperty("historyTableName").GetProperty("defaultValue").GetString());
        Assert.Contains("History__TableName", AppSettings().Keys);
    }

    [Fact]
    public void The_overview_s_stalled_threshold_is_an_app_setting_with_the_app_s_default()
    {
        Assert.Contains("Overview__StalledMinutes", AppSettings().Keys);
        Assert.Equal(10, template.Root.GetProperty("parameters").GetProperty("overviewStalledMinutes").GetProperty("defaultValue").GetInt32());
    }

    [Fact]
    public void Function_app_is_https_only_without_ftp_or_basic_auth_publishing()
    {
        var site = template.Single("Microsoft.Web/sites").Properties;
        Assert.True(site.GetProperty("httpsOnly").GetBoolean());
        Assert.Equal("Disabled", site.GetProperty("siteConfig").GetProperty("ftpsState").GetString());

        var policies = template.OfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies")
            .ToDictionary(p => CompiledTemplate.LastNameSegment(p.Name), p => p.Properties.GetProperty("allow").GetBoolean());
        Assert.False(policies["ftp"]);
        Assert.False(policies["scm"]);
    }

    [Fact]
    public void Function_app_runs_dotnet_isolated_10_on_flex_consumption()
    {
        var plan = template.Single("Microsoft.Web/serverfarms").Element;
        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
        Assert.True(plan.GetProperty("properties").GetProperty("reserved").GetBoolean());

        var config = template.Single("Microsoft.Web/sites").Properties.GetProperty("functionAppConfig");
        var runtime = config.GetProperty("runtime");
        Assert.Equal("dotnet-isolated", runtime.GetProperty("name").GetString());
        Assert.Equal("10.0", runtime.GetProperty("version").GetString());

        var deployment = config.GetProperty("deployment").GetProperty("storage");
        Assert.Equal("blobContainer", deployment.GetProperty("type").GetString());
        Assert.Equal("UserAssignedIdentity", deployment.GetProperty("authentication").GetProperty("type").GetString());
    }

    [Fact]
    public void Scaling_keeps_a_durable_instance_ready_and_sizes_http_concurrency_for_event_streams()
    {
        var scale = template.Single("Microsoft.Web/sites").Properties.GetProperty("functionAppConfig").GetProperty("scaleAndConcurrency");
        var durable = Assert.Single(scale.GetProperty("alwaysReady").EnumerateArray(), g => g.GetProperty("name").GetString() == "durable");
        Assert.Equal("[parameters('durableAlwaysReadyInstances')]", durable.GetProperty("instanceCount").GetString());
        Assert.Equal("[parameters('httpPerInstanceConcurrency')]",
            scale.GetProperty("triggers").GetProperty("http").GetProperty("perInstanceConcurrency").GetString());

        var parameters = template.Root.GetProperty("parameters");
        Assert.Equal(1, parameters.GetProperty("durableAlwaysReadyInstances").GetProperty("defaultValue").GetInt32());
        // Each open event stream holds a slot for minutes: far above the Flex default of 16 per instance.
        Assert.InRange(parameters.GetProperty("httpPerInstanceConcurrency").GetProperty("defaultValue").GetInt32(), 100, 1000);
    }

    [Fact]
    public void The_app_identity_gets_blob_queue_and_table_data_roles_on_its_storage_and_the_monitoring_role()
    {
        var assignments = template.OfType("Microsoft.Authorization/roleAssignments")
            .Select(a => (
                Role: a.Properties.GetProperty("roleDefinitionId").GetString()!,
                Principal: a.Properties.GetProperty("principalId").GetString()!,
                Scope: a.Element.GetProperty("scope").GetString()!,
                a.Module))
            .ToList();

        foreach (var role in new[] { BlobDataOwner, QueueDataContributor, TableDataContributor })
        {
            var assignment = Assert.Single(assignments, a => a.Role.Contains(role));
            Assert.Contains("Microsoft.Storage/storageAccounts", assignment.Scope);
            Assert.Equal("[parameters('principalId')]", assignment.Principal);
            Assert.Equal("rbac", assignment.Module);
        }

        var monitoring = Assert.Single(assignments, a => a.Role.Contains(MonitoringMetricsPublisher));
        Assert.Contains("Microsoft.Insights/components", monitoring.Scope);

        // The principal granted those roles is the identity the function app runs as.
        var rbacPrincipal = template.Deployment("rbac").GetProperty("properties").GetProperty("parameters")
            .GetProperty("principalId").GetProperty("value").GetString()!;
        Assert.Contains("'Microsoft.Resources/deployments', 'identity')", rbacPrincipal);
        Assert.EndsWith(".outputs.principalId.value]", rbacPrincipal);

        var appIdentity = template.Deployment("function").GetProperty("properties").GetProperty("parameters")
            .GetProperty("identityId").GetProperty("value").GetString()!;
        Assert.Contains("'Microsoft.Resources/deployments', 'identity')", appIdentity);
        Assert.EndsWith(".outputs.id.value]", appIdentity);

        var site = template.Single("Microsoft.Web/sites").Element.GetProperty("identity");
        Assert.Equal("UserAssigned", site.GetProperty("type").GetString());
        Assert.Contains("parameters('identityId')", Assert.Single(site.GetProperty("userAssignedIdentities").EnumerateObject()).Name);
    }

    [Fact]
    public void Monitoring_accepts_only_microsoft_entra_authenticated_ingestion()
    {
        var insights = template.Single("Microsoft.Insights/components").Properties;
        Assert.True(insights.GetProperty("DisableLocalAuth").GetBoolean());
        var workspace = template.Single("Microsoft.OperationalInsights/workspaces").Properties;
        Assert.True(workspace.GetProperty("features").GetProperty("disableLocalAuth").GetBoolean());
    }

    [Fact]
    public void Outputs_give_the_app_url_and_name()
    {
        var outputs = template.Root.GetProperty("outputs");
        Assert.Contains(".outputs.url.value", outputs.GetProperty("FUNCTION_APP_URL").GetProperty("value").GetString());
        Assert.Contains(".outputs.name.value", outputs.GetProperty("FUNCTION_APP_NAME").GetProperty("value").GetString());
        var url = template.Deployment("function").GetProperty("properties").GetProperty("template").GetProperty("outputs").GetProperty("url");
        Assert.StartsWith("[format('https://{0}'", url.GetProperty("value").GetString());
    }

    [Fact]
    public void Parameters_file_only_sets_parameters_the_template_declares()
    {
        using var file = JsonDocument.Parse(RepoFiles.ReadText("infra", "main.parameters.json"));
        var declared = template.Root.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToHashSet();
        var set = file.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("environmentName", set);
        Assert.Contains("location", set);
        Assert.All(set, name => Assert.Contains(name, declared));
    }

    [Fact]
    public void Stream_length_can_never_exceed_the_host_function_timeout()
    {
        using var host = JsonDocument.Parse(RepoFiles.ReadText("host.json"));
        var timeout = TimeSpan.Parse(host.RootElement.GetProperty("functionTimeout").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var maxStreamMinutes = template.Root.GetProperty("parameters").GetProperty("queueStreamMinutes").GetProperty("maxValue").GetInt32();
        Assert.True(TimeSpan.FromMinutes(maxStreamMinutes) < timeout,
            $"queueStreamMinutes may be {maxStreamMinutes} min but functionTimeout is {timeout}.");
    }

    private Dictionary<string, string> AppSettings()
    {
        var config = Assert.Single(template.OfType("Microsoft.Web/sites/config"), c => CompiledTemplate.LastNameSegment(c.Name) == "appsettings");
        Assert.Equal(JsonValueKind.Object, config.Properties.ValueKind); // a plain object, so every setting is visible here
        return config.Properties.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString());
    }
}
