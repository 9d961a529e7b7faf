// Flex Consumption (FC1) plan and the Functions app (.NET 10 isolated worker).
// Every connection is identity-based: AzureWebJobsStorage__* names service URIs plus the
// user-assigned identity, never a connection string or account key.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param applicationInsightsConnectionStringSecretUri string
param instanceMemoryMB int
param maximumInstanceCount int
param httpPerInstanceConcurrency int
param durableAlwaysReadyInstances int
param httpAlwaysReadyInstances int

@description('Queue__* application settings (Queue:* in configuration), all strings.')
param queueSettings object

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

var alwaysReady = concat(
  durableAlwaysReadyInstances > 0 ? [{ name: 'durable', instanceCount: durableAlwaysReadyInstances }] : [],
  httpAlwaysReadyInstances > 0 ? [{ name: 'http', instanceCount: httpAlwaysReadyInstances }] : []
)

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  // azd deploys the `api` service of azure.yaml to the resource carrying this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageAccount.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
        alwaysReady: alwaysReady
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: union(queueSettings, {
      // Host storage and the Durable task hub, through the user-assigned identity.
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsStorage__blobServiceUri: storageAccount.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: storageAccount.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: storageAccount.properties.primaryEndpoints.table
      // Telemetry: Entra-authenticated ingestion; the connection string stays in Key Vault.
      APPLICATIONINSIGHTS_CONNECTION_STRING: '@Microsoft.KeyVault(SecretUri=${applicationInsightsConnectionStringSecretUri})'
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    })
  }

  // No FTP and no basic-auth SCM publishing: deployments go through azd with Entra credentials.
  resource ftpPolicy 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmPolicy 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

output name string = site.name
output url string = 'https://${site.properties.defaultHostName}'
