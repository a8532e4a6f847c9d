import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { normalizeMirrorUrl } from '@mirrorwatch/catalog';
import { WORKSPACE_ROOT } from './workspace-root.js';
import type { AppConfig } from './app-config.js';
import { DEFAULT_COVERAGE_IMAGES, parseCoverageImages } from './coverage-images.js';
import { parseUpstreamReferenceUrls } from './upstream-reference-urls.js';
import { parseTrustProxy, type TrustProxySetting } from './trust-proxy.js';
import { parseVantageByCidr } from './vantage-by-cidr.js';

/** Raised at start-up; the message names the offending variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}

const intInRange = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const booleanFlag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['1', '0', 'true', 'false', 'yes', 'no'].includes(v), 'must be true or false')
  .transform((v) => ['1', 'true', 'yes'].includes(v));

/** Every environment variable the product reads, with its default. Mirrored in .env.example. */
const ENV_SCHEMA = {
  PORT: intInRange(1, 65_535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATABASE_URL: z.string().trim().min(1).optional(),
  MIRRORWATCH_CATALOG: z.string().trim().min(1).optional(),
  PROBE_INTERVAL_SECONDS: intInRange(5, 86_400).default(60),
  DEEP_PROBE_INTERVAL_SECONDS: intInRange(60, 7 * 86_400).default(1800),
  PROBE_CONCURRENCY: intInRange(1, 64).default(4),
  DEEP_PROBE_MAX_BYTES: intInRange(64 * 1024, 1024 * 1024 * 1024).default(8 * 1024 * 1024),
  RECOMMENDATION_LATENCY_MARGIN: z
    .string()
    .trim()
    .regex(/^(0(\.\d+)?|1(\.0+)?)$/, 'must be a share from 0 to 1, such as 0.3')
    .transform(Number)
    .default(0.3),
  PROBE_BUDGET_PER_HOUR: intInRange(1, 100_000).optional(),
  COVERAGE_IMAGES: z
    .string()
    .trim()
    .default(DEFAULT_COVERAGE_IMAGES)
    .transform((value, context) => {
      try {
        return parseCoverageImages(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    }),
  IMAGE_LOOKUP_CACHE_SECONDS: intInRange(0, 3600).default(300),
  FAILURES_TO_DOWN: intInRange(1, 20).default(2),
  SUCCESSES_TO_UP: intInRange(1, 20).default(2),
  REFERENCE_REGISTRY_URL: z
    .string()
    .trim()
    .refine((value) => normalizeMirrorUrl(value).ok, 'must be a registry base URL such as https://registry-1.docker.io')
    .transform((value) => {
      const normalized = normalizeMirrorUrl(value);
      return normalized.ok ? normalized.url : value;
    })
    .default('https://registry-1.docker.io'),
  UPSTREAM_REFERENCE_URLS: z
    .string()
    .default('')
    .transform((value, context) => {
      try {
        return parseUpstreamReferenceUrls(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    }),
  STALE_GRACE_SECONDS: intInRange(0, 7 * 86_400).default(3600),
  RAW_PROBE_RETENTION_DAYS: intInRange(1, 3650).default(30),
  ROLLUP_BUSY_PERCENT: intInRange(1, 100).default(25),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  MIRRORWATCH_SERVE_WEB: booleanFlag.default(true),
  // 0 keeps the dashboard loaded; below a minute, every visit after a short pause would wait for Next to load again.
  DASHBOARD_IDLE_STOP_SECONDS: intInRange(0, 7 * 86_400)
    .refine((seconds) => seconds === 0 || seconds >= 60, 'must be 0 (never stop) or at least 60')
    .default(300),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z
    .string()
    .trim()
    .regex(/^https?:\/\/[^\s/?#]+\/?$/, 'must be an http(s) origin such as https://mirrorwatch.example')
    .transform((v) => v.replace(/\/$/, ''))
    .optional(),
  RATE_LIMIT_PER_MINUTE: intInRange(0, 1_000_000).default(600),
  // Exports are served from memory with an ETag: a fleet of 1,000 hosts behind one NAT fetching at boot must pass.
  RATE_LIMIT_EXPORTS_PER_MINUTE: intInRange(0, 10_000_000).default(12_000),
  RATE_LIMIT_EXPENSIVE_PER_MINUTE: intInRange(0, 1_000_000).default(30),
  TRUST_PROXY: z
    .string()
    .transform((raw, ctx): TrustProxySetting => {
      const parsed = parseTrustProxy(raw);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: 'custom', message: `${parsed.reason} (e.g. 1, 10.0.0.0/8, loopback or false)` });
      return z.NEVER;
    })
    .default(['loopback']),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  NOTIFICATIONS_CONFIG: z.string().trim().min(1).optional(),
  NOTIFICATION_DEDUP_SECONDS: intInRange(0, 7 * 86_400).default(1800),
  PRIVATE_NETWORK_HOSTS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter((host) => host !== ''),
    )
    .refine(
      (hosts) =>
        hosts.every(
          (host) =>
            isIP(host.replace(/^\[(.*)\]$/, '$1')) !== 0 || /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host),
        ),
      'must be a comma-separated list of host names or IP addresses, without scheme or port',
    )
    .transform((hosts) => hosts.map((host) => host.replace(/^\[(.*)\]$/, '$1')))
    .default([]),
  ALLOW_PRIVATE_CHECK_TARGETS: booleanFlag.default(false),
  // Vantage agents (apps/agent): per-agent request limit, clock skew bound, status-page quorum, networks -> vantage.
  AGENT_REQUESTS_PER_MINUTE: intInRange(0, 1_000_000).default(120),
  AGENT_MAX_CLOCK_SKEW_SECONDS: intInRange(1, 86_400).default(300),
  DOWN_QUORUM: intInRange(1, 100).default(1),
  VANTAGE_BY_CIDR: z
    .string()
    .transform((raw, ctx) => {
      const parsed = parseVantageByCidr(raw);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: 'custom', message: `${parsed.reason} (e.g. 10.1.0.0/16=cn-mobile-gz,192.0.2.0/24=cn-telecom-sh)` });
      return z.NEVER;
    })
    .default([]),
} as const;

type EnvShape = { [K in keyof typeof ENV_SCHEMA]: z.output<(typeof ENV_SCHEMA)[K]> };

/**
 * Reads and validates the environment once, at boot. Nothing else in the API
 * touches `process.env`, so every knob is documented here.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = {} as Record<string, unknown>;
  for (const [name, schema] of Object.entries(ENV_SCHEMA)) {
    const raw = env[name];
    const result = (schema as z.ZodType).safeParse(raw === '' ? undefined : raw);
    if (!result.success) {
      throw new ConfigError(name, result.error.issues[0]?.message ?? 'invalid value');
    }
    parsed[name] = result.data;
  }
  const values = parsed as EnvShape;
  return {
    port: values.PORT,
    host: values.HOST,
    databaseUrl: values.DATABASE_URL ?? `file:${path.join(WORKSPACE_ROOT, 'data', 'mirrorwatch.db')}`,
    catalogPath: path.resolve(WORKSPACE_ROOT, values.MIRRORWATCH_CATALOG ?? 'config/mirrors.yaml'),
    probeIntervalSeconds: values.PROBE_INTERVAL_SECONDS,
    deepProbeIntervalSeconds: values.DEEP_PROBE_INTERVAL_SECONDS,
    probeConcurrency: values.PROBE_CONCURRENCY,
    deepProbeMaxBytes: values.DEEP_PROBE_MAX_BYTES,
    recommendationLatencyMargin: values.RECOMMENDATION_LATENCY_MARGIN,
    // Default: the regular cadence (light, deep, one coverage probe per image per deep cycle) twice over, so
    // confirmations, image look-ups and on-demand probes fit but a loop cannot run away.
    probeBudgetPerHour:
      values.PROBE_BUDGET_PER_HOUR ??
      2 *
        Math.ceil(3600 / values.PROBE_INTERVAL_SECONDS + ((1 + values.COVERAGE_IMAGES.length) * 3600) / values.DEEP_PROBE_INTERVAL_SECONDS),
    coverageImages: values.COVERAGE_IMAGES,
    imageLookupCacheSeconds: values.IMAGE_LOOKUP_CACHE_SECONDS,
    failuresToDown: values.FAILURES_TO_DOWN,
    successesToUp: values.SUCCESSES_TO_UP,
    referenceRegistryUrl: values.REFERENCE_REGISTRY_URL,
    upstreamReferenceUrls: values.UPSTREAM_REFERENCE_URLS,
    staleGraceSeconds: values.STALE_GRACE_SECONDS,
    rawProbeRetentionDays: values.RAW_PROBE_RETENTION_DAYS,
    rollupBusyPercent: values.ROLLUP_BUSY_PERCENT,
    adminToken: values.ADMIN_TOKEN ?? null,
    serveWeb: values.MIRRORWATCH_SERVE_WEB,
    dashboardIdleStopSeconds: values.DASHBOARD_IDLE_STOP_SECONDS,
    logLevel: values.LOG_LEVEL,
    publicUrl: values.PUBLIC_URL ?? null,
    rateLimitPerMinute: values.RATE_LIMIT_PER_MINUTE,
    rateLimitExportsPerMinute: values.RATE_LIMIT_EXPORTS_PER_MINUTE,
    rateLimitExpensivePerMinute: values.RATE_LIMIT_EXPENSIVE_PER_MINUTE,
    trustProxy: values.TRUST_PROXY,
    metricsToken: values.METRICS_TOKEN ?? null,
    notificationsConfigPath: values.NOTIFICATIONS_CONFIG ? path.resolve(WORKSPACE_ROOT, values.NOTIFICATIONS_CONFIG) : null,
    notificationDedupSeconds: values.NOTIFICATION_DEDUP_SECONDS,
    privateNetworkHosts: values.PRIVATE_NETWORK_HOSTS,
    allowPrivateCheckTargets: values.ALLOW_PRIVATE_CHECK_TARGETS,
    agentRequestsPerMinute: values.AGENT_REQUESTS_PER_MINUTE,
    agentMaxClockSkewSeconds: values.AGENT_MAX_CLOCK_SKEW_SECONDS,
    downQuorum: values.DOWN_QUORUM,
    vantageByCidr: values.VANTAGE_BY_CIDR,
  };
}
