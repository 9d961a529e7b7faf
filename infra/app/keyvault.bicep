// Holds the Application Insights connection string, so that no app setting carries an
// instrumentation key; the app setting is a Key Vault reference resolved with the app's identity.
// RBAC authorization only (no access policies).
param name string
param location string
param tags object
param applicationInsightsName string

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }

  resource appInsightsConnectionString 'secrets' = {
    name: 'appinsights-connection-string'
    properties: {
      value: appInsights.properties.ConnectionString
      contentType: 'text/plain'
    }
  }
}

output name string = vault.name
output applicationInsightsConnectionStringSecretUri string = vault::appInsightsConnectionString.properties.secretUri
