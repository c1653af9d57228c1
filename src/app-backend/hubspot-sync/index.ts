/** The sync client's public face: register, log, associate, mark ready — against HubSpot or callscribe's CRM. */

export { DEFAULT_RETRY, type RetryPolicy } from './http-retry.js';
export {
  CALL_ASSOCIATION_TYPES,
  type CallAssociationTarget,
  type CallInput,
  callProperties,
  createHubSpotSyncClient,
  HubSpotSyncClient,
  type HubSpotSyncOptions,
  LEGACY_RECORDING_WARNING,
  type LegacyCallInput,
  type LoggedCall,
} from './hubspot-sync-client.js';
