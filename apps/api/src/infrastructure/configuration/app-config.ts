import type { CoverageImage } from './coverage-images.js';
import type { TrustProxySetting } from './trust-proxy.js';
import type { VantageCidr } from './vantage-by-cidr.js';

/** Typed, validated configuration; the only shape the rest of the API sees. */
export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string;
  catalogPath: string;
  /** Light probes (v2, token, manifest). */
  probeIntervalSeconds: number;
  /** Deep probes (blob download and digest check). */
  deepProbeIntervalSeconds: number;
  probeConcurrency: number;
  /** Deep probes stop reading a layer after this many bytes (a layer larger than that is timed, not verified). */
  deepProbeMaxBytes: number;
  /** A challenger replaces a recommended mirror only when its manifest p50 is this share lower (0.3 = 30 % faster). */
  recommendationLatencyMargin: number;
  /** Most probes (light, deep, coverage, image look-ups, on demand) one mirror gets in an hour. */
  probeBudgetPerHour: number;
  /** Images probed on every mirror at the deep cadence to measure coverage (allowlists, missing images). */
  coverageImages: CoverageImage[];
  /** How long a `GET /api/images/...` answer is reused. */
  imageLookupCacheSeconds: number;
  /** Consecutive failed probes before a mirror is marked down. */
  failuresToDown: number;
  /** Consecutive successful probes before a down mirror is marked up again. */
  successesToUp: number;
  /** Registry whose digest of the probed tag is the freshness reference (Docker Hub by default). */
  referenceRegistryUrl: string;
  /** Overrides of where other upstreams' freshness references are asked (registry host -> base URL); others: the registry itself. */
  upstreamReferenceUrls: Readonly<Record<string, string>>;
  /** How long a mirror may serve another digest than the reference before it is stale. */
  staleGraceSeconds: number;
  rawProbeRetentionDays: number;
  /**
   * Most of the wall time a rollup pass (with the database work it causes) may be busy, in percent: it rests
   * after each mirror-day and retention batch in proportion (a backfill leaves the cores to serving).
   */
  rollupBusyPercent: number;
  /** Null disables the admin API (it answers 403 and says why). */
  adminToken: string | null;
  /** Serve the Next.js dashboard from this process (off in API-only tests). */
  serveWeb: boolean;
  /**
   * The dashboard's Next.js process is stopped after this long without a page or asset request and started
   * again by the next one (that visitor waits for Next to load); 0 keeps it loaded.
   */
  dashboardIdleStopSeconds: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Origin printed in the install script's usage line; null: taken from the request. */
  publicUrl: string | null;
  /** Requests per minute per client address (IPv6: per /64) on ordinary endpoints; 0 disables the limit. */
  rateLimitPerMinute: number;
  /** The same for cached exports (daemon.json, install.sh, badges), which cost next to nothing to serve. */
  rateLimitExportsPerMinute: number;
  /** The same for endpoints that cause outbound work (probe now, checks). */
  rateLimitExpensivePerMinute: number;
  /** Which peers may set X-Forwarded-For (Express `trust proxy`). */
  trustProxy: TrustProxySetting;
  /** When set, /metrics requires `Authorization: Bearer <token>` and then includes private mirrors. */
  metricsToken: string | null;
  /** YAML file with notification channels; null: no notifications. */
  notificationsConfigPath: string | null;
  /** The same mirror and event are not re-sent within this window. */
  notificationDedupSeconds: number;
  /**
   * Hosts on the operator's private network that mirrors (and what they point
   * at) and webhooks may reach at private addresses. Mirrors written as a
   * private IP literal or `localhost` need no entry.
   */
  privateNetworkHosts: readonly string[];
  /** Lets `POST /api/checks` probe private addresses (intranet deployments). */
  allowPrivateCheckTargets: boolean;
  /** Requests per minute per agent token on /api/agent/*; 0 disables the limit. */
  agentRequestsPerMinute: number;
  /** Largest |agent clock - server clock| accepted; within it start times are corrected, beyond it a batch is refused. */
  agentMaxClockSkewSeconds: number;
  /** Vantages that must see a mirror down before the public status page says down (capped at the vantages reporting). */
  downQuorum: number;
  /** Client networks whose exports default to a vantage's list, most specific first. */
  vantageByCidr: readonly VantageCidr[];
}

export const APP_CONFIG = Symbol('APP_CONFIG');
/** The mirror definitions of the catalog file, validated at boot (start.ts). */
export const CATALOG = Symbol('CATALOG');
