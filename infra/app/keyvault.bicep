// Holds the Application Insights connection string, so that no app setting carries an
// instrumentation key, and the Web Push (VAPID) key pair when one is given; the app settings are Key
// Vault references resolved with the app's identity.
// RBAC authorization only (no access policies).
param name string
param location string
param tags object
param applicationInsightsName string

@secure()
param pushPublicKey string

@secure()
param pushPrivateKey string

var pushConfigured = !empty(pushPublicKey) && !empty(pushPrivateKey)

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

resource pushPublicKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (pushConfigured) {
  parent: vault
  name: 'push-public-key'
  properties: {
    value: pushPublicKey
    contentType: 'text/plain'
  }
}

resource pushPrivateKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (pushConfigured) {
  parent: vault
  name: 'push-private-key'
  properties: {
    value: pushPrivateKey
    contentType: 'text/plain'
  }
}

output name string = vault.name
output applicationInsightsConnectionStringSecretUri string = vault::appInsightsConnectionString.properties.secretUri

// Empty when no key pair was given: the app then runs without Web Push.
output pushPublicKeySecretUri string = pushConfigured ? '${vault.properties.vaultUri}secrets/push-public-key' : ''
output pushPrivateKeySecretUri string = pushConfigured ? '${vault.properties.vaultUri}secrets/push-private-key' : ''
