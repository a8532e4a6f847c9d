import type { AgentConfigDto, AgentResultDto } from '@mirrorwatch/api-types';
import type { ProbeKind } from '@mirrorwatch/domain';
import type { Logger } from './log.js';
import { ProbeRunner } from './probe-runner.js';

/** A light probe gets at most this share of its interval, as on the server. */
const LIGHT_SHARE_OF_INTERVAL = 0.8;
/**
 * Probes in flight at most, whatever the server's PROBE_CONCURRENCY (up to
 * 64): each one holds its own connections, parser state and body buffers,
 * and the agent's memory budget (60 MiB with 50 mirrors,
 * docs/benchmarks/vantage-agents.md) was measured at the default of 4.
 */
export const MAX_AGENT_CONCURRENCY = 8;

/**
 * Light probes every light interval and deep probes every deep interval,
 * over the server's catalog, `concurrency` at a time (at most MAX_AGENT_CONCURRENCY). A tick that finds its
 * previous cycle still running is skipped (cycles of one kind never overlap).
 * Each result goes to `deliver` as soon as it exists.
 */
export class ProbeSchedule {
  private readonly runner: ProbeRunner;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly busy: Record<ProbeKind, boolean> = { light: false, deep: false };
  private readonly abort = new AbortController();
  private config: AgentConfigDto;

  constructor(
    config: AgentConfigDto,
    private readonly deliver: (result: AgentResultDto) => Promise<void>,
    private readonly log: Logger,
  ) {
    this.config = config;
    this.runner = new ProbeRunner(limitsOf(config));
  }

  start(): void {
    void this.cycle('light').then(() => this.cycle('deep'));
    this.timers.push(setInterval(() => void this.cycle('light'), this.config.lightIntervalSeconds * 1000));
    this.timers.push(setInterval(() => void this.cycle('deep'), this.config.deepIntervalSeconds * 1000));
  }

  /** Takes a new configuration; the timers restart only when an interval changed. */
  update(config: AgentConfigDto): void {
    const intervalsChanged =
      config.lightIntervalSeconds !== this.config.lightIntervalSeconds || config.deepIntervalSeconds !== this.config.deepIntervalSeconds;
    this.config = config;
    this.runner.setLimits(limitsOf(config));
    if (intervalsChanged) {
      this.clearTimers();
      this.start();
    }
  }

  stop(): void {
    this.clearTimers();
    this.abort.abort();
  }

  private clearTimers(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  private async cycle(kind: ProbeKind): Promise<void> {
    if (this.busy[kind] || this.abort.signal.aborted) {
      if (this.busy[kind]) this.log.warn('probe cycle still running; tick skipped', { kind });
      return;
    }
    this.busy[kind] = true;
    const startedAt = Date.now();
    const queue = [...this.config.mirrors];
    let probed = 0;
    try {
      const worker = async (): Promise<void> => {
        for (let mirror = queue.shift(); mirror && !this.abort.signal.aborted; mirror = queue.shift()) {
          const result = await this.runner.probe(mirror, kind, this.abort.signal);
          if (result === null) continue;
          probed += 1;
          await this.deliver(result);
        }
      };
      await Promise.all(Array.from({ length: Math.min(MAX_AGENT_CONCURRENCY, Math.max(1, this.config.concurrency)) }, worker));
      const memory = process.memoryUsage();
      const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
      this.log.info('probe cycle finished', {
        kind,
        mirrors: this.config.mirrors.length,
        probed,
        durationMs: Date.now() - startedAt,
        rssMiB: mib(memory.rss),
        heapUsedMiB: mib(memory.heapUsed),
        heapTotalMiB: mib(memory.heapTotal),
        externalMiB: mib(memory.external),
      });
    } catch (error) {
      this.log.error('probe cycle failed', { kind, err: error instanceof Error ? error.message : String(error) });
    } finally {
      this.busy[kind] = false;
    }
  }
}

function limitsOf(config: AgentConfigDto) {
  return {
    lightTotalMs: Math.floor(config.lightIntervalSeconds * 1000 * LIGHT_SHARE_OF_INTERVAL),
    probeBudgetPerHour: config.probeBudgetPerHour,
  };
}
