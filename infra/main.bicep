// Clinic patient queue: everything `azd up` needs, from an empty subscription to a running app.
// No secrets: the app reaches Storage, Application Insights and Key Vault through a
// user-assigned managed identity; shared-key and local authentication are turned off.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it seeds the unique suffix of every resource name.')
param environmentName string

@minLength(1)
@description('Azure region for all resources. It must offer the Flex Consumption plan (az functionapp list-flexconsumption-locations).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Resource group name; empty means rg-<environmentName>.')
param resourceGroupName string = ''

// ---- Scale ---------------------------------------------------------------------------------

@description('Memory of each Flex Consumption instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Upper bound on instances the app may scale out to (caps the bill).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Concurrent HTTP requests per instance. Each open event stream holds one slot for up to Queue:StreamMinutes; streams are idle and cheap (the benchmark held 2,160 on 2 cores in under 300 MiB, with storage reads independent of their number), so this is the Flex maximum.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 1000

@description('Always-ready instances for the "durable" group (orchestrations, activities, entities); the Durable Functions docs recommend 1 on Flex Consumption.')
@minValue(1)
@maxValue(10)
param durableAlwaysReadyInstances int = 1

// ---- Queue:* application settings (see docs/DEPLOY.md) --------------------------------------

@description('Queue:Clinics: comma-separated clinic ids; empty accepts any well-formed id.')
param queueClinics string = 'lab,xray,eyes,internal,ent,surgery,dental,psychiatry,derma,bones,vitals,ecg,audio,women_internal,women_derma,women_eyes'

@description('Queue:TimeZone: IANA time zone of the clinic.')
param queueTimeZone string = 'Asia/Qatar'

@description('Queue:ServiceDayStartsAt: local time (HH:mm) at which a new service day begins.')
param queueServiceDayStartsAt string = '05:00'

@description('Queue:PinDigits: digits of each clinic\'s daily PIN.')
@minValue(4)
@maxValue(9)
param queuePinDigits int = 4

@description('Queue:MaxPinAttempts: wrong PINs allowed per user, clinic and service day.')
@minValue(1)
param queueMaxPinAttempts int = 5

@description('Queue:ConfirmTimeoutSeconds: how long enter waits for its ticket before 504 TIMEOUT.')
@minValue(1)
param queueConfirmTimeoutSeconds int = 10

@description('Queue:MaxOutbox: unsent queue-events changes a clinic keeps while the queue is unreachable; beyond it the oldest are dropped, with an error in the log.')
@minValue(1)
@maxValue(100000)
param queueMaxOutbox int = 2000

@description('Queue:MaxWaiting: waiting tickets one clinic holds at most; an enter or visit start beyond it is 409 QUEUE_FULL.')
@minValue(1)
@maxValue(100000)
param queueMaxWaiting int = 1000

@description('Queue:HeartbeatSeconds: interval of the ": heartbeat" comment on event streams.')
@minValue(1)
param queueHeartbeatSeconds int = 15

@description('Queue:RefreshSeconds: an event stream repeats the current state this often even without a change.')
@minValue(1)
param queueRefreshSeconds int = 5

@description('Queue:StreamMinutes: an event stream is closed after this long; keep it below host.json functionTimeout.')
@minValue(1)
@maxValue(9)
param queueStreamMinutes int = 5

@description('Queue:PurgeSchedule: when finished orchestrations older than an hour are purged (6-field NCrontab, UTC).')
param queuePurgeSchedule string = '0 41 * * * *'

@description('History:TableName: the Azure Table that keeps one row per ticket for the daily reports.')
@minLength(3)
@maxLength(63)
param historyTableName string = 'queuehistory'

@description('History:RetentionDays: service days of history kept; the daily cleanup deletes older rows.')
@minValue(1)
@maxValue(3650)
param historyRetentionDays int = 400

@description('History:CleanUpSchedule: when the history of days past History:RetentionDays is deleted (6-field NCrontab, UTC).')
param historyCleanUpSchedule string = '0 17 1 * * *'

@description('History:PoisonReplaySchedule: when queue events the history gave up on are moved from queue-events-poison back to queue-events (6-field NCrontab, UTC).')
param historyPoisonReplaySchedule string = '30 */5 * * * *'

@description('Push:PublicKey: the VAPID public key (base64url P-256 point, 87 characters). Empty: no Web Push. Kept in Key Vault with its private key.')
@secure()
param pushPublicKey string = ''

@description('Push:PrivateKey: the VAPID private key (base64url, 43 characters). Kept in Key Vault; the app setting is a Key Vault reference.')
@secure()
param pushPrivateKey string = ''

@description('Push:Subject: who runs the app, for the push services (mailto: or https:).')
param pushSubject string = 'mailto:it@clinic.example'

@description('Push:AllowedHosts: the push services the app may post to (comma-separated, *. for sub-domains).')
param pushAllowedHosts string = 'fcm.googleapis.com,updates.push.services.mozilla.com,*.notify.windows.com,*.push.apple.com'

@description('Push:TableName: the Azure Table of the day\'s push subscriptions.')
@minLength(3)
@maxLength(63)
param pushTableName string = 'pushsubscriptions'

@description('Push:MaxSubscriptionsPerUser: subscriptions one patient keeps in a day.')
@minValue(1)
@maxValue(50)
param pushMaxSubscriptionsPerUser int = 5

@description('Overview:StalledMinutes: minutes a clinic may have people waiting without its queue moving before the manager\'s overview raises its alert.')
@minValue(1)
@maxValue(1440)
param overviewStalledMinutes int = 10

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: empty(resourceGroupName) ? 'rg-${environmentName}' : resourceGroupName
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package-${resourceToken}'
    historyTableName: historyTableName
  }
}

module vault 'app/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    pushPublicKey: pushPublicKey
    pushPrivateKey: pushPrivateKey
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: vault.outputs.name
  }
}

module app 'app/function.bicep' = {
  name: 'function'
  scope: rg
  dependsOn: [
    // The app starts resolving its identity-based connections at once; the roles must exist first.
    rbac
  ]
  params: {
    name: 'func-${resourceToken}'
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionStringSecretUri: vault.outputs.applicationInsightsConnectionStringSecretUri
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
    durableAlwaysReadyInstances: durableAlwaysReadyInstances
    queueSettings: {
      clinics: queueClinics
      timeZone: queueTimeZone
      serviceDayStartsAt: queueServiceDayStartsAt
      pinDigits: queuePinDigits
      maxPinAttempts: queueMaxPinAttempts
      confirmTimeoutSeconds: queueConfirmTimeoutSeconds
      maxOutbox: queueMaxOutbox
      maxWaiting: queueMaxWaiting
      heartbeatSeconds: queueHeartbeatSeconds
      refreshSeconds: queueRefreshSeconds
      streamMinutes: queueStreamMinutes
      purgeSchedule: queuePurgeSchedule
    }
    historySettings: {
      tableName: storage.outputs.historyTableName
      retentionDays: historyRetentionDays
      cleanUpSchedule: historyCleanUpSchedule
      poisonReplaySchedule: historyPoisonReplaySchedule
    }
    pushSettings: {
      publicKeySecretUri: vault.outputs.pushPublicKeySecretUri
      privateKeySecretUri: vault.outputs.pushPrivateKeySecretUri
      subject: pushSubject
      allowedHosts: pushAllowedHosts
      tableName: pushTableName
      maxSubscriptionsPerUser: pushMaxSubscriptionsPerUser
    }
    overviewSettings: {
      stalledMinutes: overviewStalledMinutes
    }
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output FUNCTION_APP_NAME string = app.outputs.name
output FUNCTION_APP_URL string = app.outputs.url
