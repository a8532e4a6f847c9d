import type { AgentConfigDto, AgentResultDto } from '@mirrorwatch/api-types';
import type { AgentOptions } from './cli-args.js';
import type { Logger } from './log.js';
import { ProbeSchedule } from './probe-schedule.js';
import { ServerClient } from './server-client.js';
import { Shipper } from './shipper.js';
import { Spool } from './spool.js';

/** How often the catalog and cadence are fetched again (mirrors added or removed through the admin API). */
const CONFIG_REFRESH_MS = 5 * 60_000;
const CONFIG_RETRY_MAX_MS = 30_000;

/** Exit codes a supervisor can act on. */
export const EXIT_UNAUTHORIZED = 3;

/**
 * The agent: fetch the configuration (retrying until the server answers),
 * probe on the server's schedule, spool every result, ship the spool. The
 * server being away only delays delivery; a 401 stops the agent, since its
 * token was revoked or is wrong and nobody would receive its results.
 */
export class VantageAgent {
  private readonly client: ServerClient;
  private readonly spool: Spool;
  private readonly shipper: Shipper;
  private schedule: ProbeSchedule | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;
  private vantage: string | undefined;
  private stopping = false;
  private resolveDone!: (code: number) => void;
  /** Resolves with the exit code when the agent stops. */
  readonly done = new Promise<number>((resolve) => (this.resolveDone = resolve));

  constructor(
    options: AgentOptions,
    private readonly log: Logger,
  ) {
    this.client = new ServerClient(options.server, options.token);
    this.spool = new Spool(options.spoolPath, options.spoolMaxResults);
    this.shipper = new Shipper(
      this.spool,
      this.client,
      log,
      { unauthorized: (message) => this.unauthorized(message) },
      50,
      () => this.vantage,
    );
  }

  async start(): Promise<void> {
    const loaded = await this.spool.load();
    this.log.info('spool loaded', { restored: loaded.restored, tornLines: loaded.tornLines, dropped: this.spool.dropped });
    // Results a previous run left are shipped as soon as the server answers.
    const config = await this.firstConfig();
    if (config === null) return;
    this.apply(config);
    this.shipper.kick();
    this.refreshTimer = setInterval(() => void this.refresh(), CONFIG_REFRESH_MS);
  }

  /** Stops probing, lets the delivery in flight finish (its results stay spooled if it fails), and ends. */
  async stop(code = 0): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.schedule?.stop();
    this.shipper.stop();
    await this.shipper.settle();
    await this.client.close();
    this.resolveDone(code);
  }

  private async firstConfig(): Promise<AgentConfigDto | null> {
    for (let delay = 1_000; !this.stopping; delay = Math.min(CONFIG_RETRY_MAX_MS, delay * 2)) {
      const reply = await this.client.fetchConfig();
      if (reply.kind === 'ok') return reply.value;
      if (reply.kind === 'unauthorized') {
        this.unauthorized(reply.message);
        return null;
      }
      this.log.warn('configuration not available yet; retrying', {
        reason: reply.kind === 'unavailable' ? reply.reason : reply.message,
        retryInMs: delay,
      });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    return null;
  }

  private async refresh(): Promise<void> {
    const reply = await this.client.fetchConfig();
    if (reply.kind === 'ok') this.apply(reply.value);
    else if (reply.kind === 'unauthorized') this.unauthorized(reply.message);
    else
      this.log.warn('configuration refresh failed; keeping the current one', {
        reason: reply.kind === 'unavailable' ? reply.reason : reply.message,
      });
  }

  private apply(config: AgentConfigDto): void {
    this.vantage = config.vantage;
    this.shipper.setBatchSize(config.maxBatch);
    this.shipper.setRequestLimit(config.requestsPerMinute);
    const skewMs = Date.now() - Date.parse(config.serverTime);
    const level = Math.abs(skewMs) > config.maxClockSkewSeconds * 500 ? 'warn' : 'info';
    this.log[level]('configuration', {
      vantage: config.vantage,
      mirrors: config.mirrors.length,
      lightIntervalSeconds: config.lightIntervalSeconds,
      clockSkewMs: skewMs,
    });
    if (this.schedule) {
      this.schedule.update(config);
      return;
    }
    this.schedule = new ProbeSchedule(config, (result) => this.deliver(result), this.log);
    this.schedule.start();
  }

  private async deliver(result: AgentResultDto): Promise<void> {
    await this.spool.push([JSON.stringify(result)]);
    // Logged once it is on disk: from here on it reaches the server even if this process is killed.
    this.log.debug('result spooled', { id: result.id, mirror: result.mirrorId, kind: result.kind, ok: result.ok });
    this.shipper.kick();
  }

  private unauthorized(message: string): void {
    this.log.error('the server refuses this agent token (revoked or wrong); stopping', { message });
    void this.stop(EXIT_UNAUTHORIZED);
  }
}
