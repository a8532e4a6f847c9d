import { randomUUID } from 'node:crypto';
import type { AgentMirrorDto, AgentResultDto } from '@mirrorwatch/api-types';
import type { ProbeKind, ProbeResult } from '@mirrorwatch/domain';
import { probeMirror, resolveProbeOptions } from '@mirrorwatch/probe';

/** The server accepts at most this much detail per result. */
const MAX_DETAIL_CHARS = 500;
/** A 429's Retry-After is honoured for at most an hour, as the server's own scheduler does. */
const MAX_RETRY_AFTER_MS = 3_600_000;
const HOUR_MS = 3_600_000;

export interface ProbeLimits {
  /** A light probe must end well inside its interval. */
  lightTotalMs: number;
  probeBudgetPerHour: number;
}

/**
 * Probes one mirror with the server's engine and outbound policy (the scope
 * the server assigns to the mirror), and honours what the server's scheduler
 * honours: a mirror's 429 Retry-After and a per-mirror hourly budget.
 * Returns the result ready to ship, or null when the probe was skipped.
 */
export class ProbeRunner {
  private readonly notBefore = new Map<string, number>();
  /** Probes per mirror in the current clock hour (a fixed window: simple, and the budget is a ceiling, not a schedule). */
  private readonly spent = new Map<string, { hour: number; count: number }>();

  constructor(private limits: ProbeLimits) {}

  setLimits(limits: ProbeLimits): void {
    this.limits = limits;
  }

  async probe(mirror: AgentMirrorDto, kind: ProbeKind, signal: AbortSignal): Promise<AgentResultDto | null> {
    const now = Date.now();
    if ((this.notBefore.get(mirror.id) ?? 0) > now || !this.takeBudget(mirror.id, now)) return null;
    const base = resolveProbeOptions({ kind, repository: mirror.repository, reference: mirror.reference });
    const totalMs = kind === 'light' ? Math.min(base.timeouts.totalMs, this.limits.lightTotalMs) : base.timeouts.totalMs;
    const result = await probeMirror(
      { url: mirror.url, caPem: mirror.caPem, policy: { scope: mirror.scope } },
      { ...base, signal, timeouts: { ...base.timeouts, totalMs } },
    );
    if (result.retryAfterSeconds !== null)
      this.notBefore.set(mirror.id, Date.now() + Math.min(MAX_RETRY_AFTER_MS, result.retryAfterSeconds * 1000));
    return toResultDto(mirror, result);
  }

  private takeBudget(mirrorId: string, now: number): boolean {
    const hour = Math.floor(now / HOUR_MS);
    const current = this.spent.get(mirrorId);
    const spent = current?.hour === hour ? current : { hour, count: 0 };
    if (spent.count >= this.limits.probeBudgetPerHour) return false;
    this.spent.set(mirrorId, { hour, count: spent.count + 1 });
    return true;
  }
}

export function toResultDto(mirror: Pick<AgentMirrorDto, 'id' | 'repository'>, result: ProbeResult): AgentResultDto {
  return {
    ...result,
    id: randomUUID(),
    mirrorId: mirror.id,
    repository: mirror.repository,
    startedAt: result.startedAt.toISOString(),
    detail: result.detail === null ? null : result.detail.slice(0, MAX_DETAIL_CHARS),
  };
}
