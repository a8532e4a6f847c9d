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
  /** A second, non-library repository probed to detect allowlisting mirrors. */
  allowlistRepository: string;
  /** Consecutive failed probes before a mirror is marked down. */
  failuresToDown: number;
  /** Consecutive successful probes before a down mirror is marked up again. */
  successesToUp: number;
  /** How long a mirror may serve another digest than the reference before it is stale. */
  staleGraceSeconds: number;
  rawProbeRetentionDays: number;
  /** Null disables the admin API (it answers 403 and says why). */
  adminToken: string | null;
  /** Serve the Next.js dashboard from this process (off in API-only tests). */
  serveWeb: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export const APP_CONFIG = Symbol('APP_CONFIG');
