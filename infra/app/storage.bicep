// The app's only storage account: Functions host state, the Durable task hub (blobs, queues,
// tables), the deployment package container, the `queue-events` queue and the history table.
// Reachable through Microsoft Entra identities only (shared key off), HTTPS and TLS 1.2+.
param name string
param location string
param tags object
param deploymentContainerName string
param historyTableName string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
    dnsEndpointType: 'Standard'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
      properties: {
        publicAccess: 'None'
      }
    }
  }

  resource queueService 'queueServices' = {
    name: 'default'

    // Queue events published by the app for other systems (see DESIGN.md).
    resource queueEvents 'queues' = {
      name: 'queue-events'
    }
  }

  resource tableService 'tableServices' = {
    name: 'default'

    // The day's history: one row per ticket, written from queue-events, read by the daily reports.
    resource history 'tables' = {
      name: historyTableName
    }
  }
}

output name string = account.name
output deploymentContainerName string = account::blobService::deploymentContainer.name
output historyTableName string = account::tableService::history.name
