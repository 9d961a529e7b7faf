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

@description('The Queue:* settings of the app, written as Queue__* application settings.')
param queueSettings queueSettingsType

@description('The History:* settings of the app, written as History__* application settings.')
param historySettings historySettingsType

@description('The Push:* settings of the app, written as Push__* application settings; the keys as Key Vault references.')
param pushSettings pushSettingsType

type pushSettingsType = {
  @description('Empty: no Web Push.')
  publicKeySecretUri: string
  privateKeySecretUri: string
  subject: string
  allowedHosts: string
  tableName: string
  maxSubscriptionsPerUser: int
}

@description('The Overview:* settings of the app, written as Overview__* application settings.')
param overviewSettings overviewSettingsType

type overviewSettingsType = {
  stalledMinutes: int
}

type historySettingsType = {
  tableName: string
  retentionDays: int
  cleanUpSchedule: string
  poisonReplaySchedule: string
}

type queueSettingsType = {
  clinics: string
  timeZone: string
  serviceDayStartsAt: string
  pinDigits: int
  maxPinAttempts: int
  confirmTimeoutSeconds: int
  maxOutbox: int
  maxWaiting: int
  heartbeatSeconds: int
  refreshSeconds: int
  streamMinutes: int
  purgeSchedule: string
}

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
        // Durable Functions on Flex: keep the "durable" group (entities, orchestrations,
        // activities) warm so a signal is never stuck behind a cold start.
        alwaysReady: [
          {
            name: 'durable'
            instanceCount: durableAlwaysReadyInstances
          }
        ]
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
    properties: {
      // Host storage and the Durable task hub, through the user-assigned identity.
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      AzureWebJobsStorage__blobServiceUri: storageAccount.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: storageAccount.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: storageAccount.properties.primaryEndpoints.table
      // Telemetry: Entra-authenticated ingestion; the connection string stays in Key Vault.
      APPLICATIONINSIGHTS_CONNECTION_STRING: '@Microsoft.KeyVault(SecretUri=${applicationInsightsConnectionStringSecretUri})'
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      // The app's own settings (Queue:* in .NET configuration).
      Queue__Clinics: queueSettings.clinics
      Queue__TimeZone: queueSettings.timeZone
      Queue__ServiceDayStartsAt: queueSettings.serviceDayStartsAt
      Queue__PinDigits: string(queueSettings.pinDigits)
      Queue__MaxPinAttempts: string(queueSettings.maxPinAttempts)
      Queue__ConfirmTimeoutSeconds: string(queueSettings.confirmTimeoutSeconds)
      Queue__MaxOutbox: string(queueSettings.maxOutbox)
      Queue__MaxWaiting: string(queueSettings.maxWaiting)
      Queue__HeartbeatSeconds: string(queueSettings.heartbeatSeconds)
      Queue__RefreshSeconds: string(queueSettings.refreshSeconds)
      Queue__StreamMinutes: string(queueSettings.streamMinutes)
      Queue__PurgeSchedule: queueSettings.purgeSchedule
      History__TableName: historySettings.tableName
      History__RetentionDays: string(historySettings.retentionDays)
      History__CleanUpSchedule: historySettings.cleanUpSchedule
      History__PoisonReplaySchedule: historySettings.poisonReplaySchedule
      Push__PublicKey: empty(pushSettings.publicKeySecretUri) ? '' : '@Microsoft.KeyVault(SecretUri=${pushSettings.publicKeySecretUri})'
      Push__PrivateKey: empty(pushSettings.privateKeySecretUri) ? '' : '@Microsoft.KeyVault(SecretUri=${pushSettings.privateKeySecretUri})'
      Push__Subject: pushSettings.subject
      Push__AllowedHosts: pushSettings.allowedHosts
      Push__TableName: pushSettings.tableName
      Push__MaxSubscriptionsPerUser: string(pushSettings.maxSubscriptionsPerUser)
      Overview__StalledMinutes: string(overviewSettings.stalledMinutes)
    }
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
