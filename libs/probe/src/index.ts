export { probeMirror } from './probe-mirror.js';
export {
  DEFAULT_PROBE_OPTIONS,
  DEFAULT_DEEP_TOTAL_MS,
  resolveProbeOptions,
  type ProbeCaps,
  type ProbeOptions,
  type ProbeOptionsInput,
  type ProbeTarget,
  type ProbeTimeouts,
} from './probe-options.js';
export { MANIFEST_ACCEPT } from './manifest-shape.js';
export { parseWwwAuthenticate, type AuthChallenge } from './www-authenticate.js';
export { parseRetryAfter } from './retry-after.js';
export {
  OutboundAddressRefusedError,
  assertUrlAllowed,
  hostOf,
  refusalFor,
  scopeForConfiguredUrl,
  scopeForListedHosts,
  type AddressScope,
  type OutboundPolicy,
} from './outbound/outbound-policy.js';
export { categorizeAddress, type AddressCategory } from './outbound/address-category.js';
export { parseIpAddress } from './outbound/ip-address.js';
export { createOutboundAgent } from './outbound/outbound-agent.js';
/** undici's Agent and friends, loaded on first use without undici's index (see undici-core.ts): for processes that must stay small, like the vantage agent. */
export { undiciCore, type Agent } from './undici-core.js';
