import { readFile } from 'node:fs/promises';
import { ForbiddenException, Inject, Injectable, Logger } from '@nestjs/common';
import type { AgentConfigDto, AgentResultAckDto } from '@mirrorwatch/api-types';
import { DEFAULT_STATUS_POLICY, type StatusPolicy } from '@mirrorwatch/scoring';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { AgentResultRepository, type AgentResultInput } from '#infrastructure/persistence/agent-result.repository.js';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { VantageRepository, type AgentIdentity } from '#infrastructure/persistence/vantage.repository.js';
import { outboundPolicyFor } from '../outbound-policy-for.js';
import { PROBED_REFERENCE, PROBED_REPOSITORY } from '#infrastructure/configuration/probed-image.js';
import { AgentResultsFeed } from './agent-results-feed.js';
import { MAX_RESULTS_PER_BATCH, parseResultBatch } from './result-batch.schema.js';

/** How long the set of mirror ids is reused between batches. */
const MIRROR_IDS_TTL_MS = 5_000;

/** How far past the server's clock a corrected start time may lie (a probe cannot start in the future; transit and rounding can). */
const FUTURE_TOLERANCE_MS = 60_000;

/**
 * What agents get and give: their configuration (the same catalog, cadence,
 * budget and outbound policy as the server's own probes) and their results,
 * validated field by field, their times moved onto the server's clock, and
 * stored with their vantage.
 */
@Injectable()
export class AgentIngestionService {
  private readonly logger = new Logger(AgentIngestionService.name);
  private mirrorIds: { readAt: number; ids: ReadonlySet<string> } | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mirrors: MirrorRepository,
    private readonly vantages: VantageRepository,
    private readonly results: AgentResultRepository,
    private readonly feed: AgentResultsFeed,
  ) {}

  async agentConfig(agent: AgentIdentity, now: Date = new Date()): Promise<AgentConfigDto> {
    const enabled = await this.mirrors.listEnabled();
    return {
      vantage: agent.vantageId,
      serverTime: now.toISOString(),
      lightIntervalSeconds: this.config.probeIntervalSeconds,
      deepIntervalSeconds: this.config.deepProbeIntervalSeconds,
      probeBudgetPerHour: this.config.probeBudgetPerHour,
      concurrency: this.config.probeConcurrency,
      maxBatch: MAX_RESULTS_PER_BATCH,
      maxClockSkewSeconds: this.config.agentMaxClockSkewSeconds,
      mirrors: await Promise.all(
        enabled.map(async (mirror) => ({
          id: mirror.id,
          url: mirror.url,
          scope: outboundPolicyFor(mirror.url, this.config).scope,
          caPem: mirror.caPath ? await readFile(mirror.caPath, 'utf8') : null,
          repository: PROBED_REPOSITORY,
          reference: PROBED_REFERENCE,
        })),
      ),
    };
  }

  /**
   * Stores a batch. The skew is measured from `sentAt` (transit time counts
   * as skew, which is milliseconds against a bound of minutes); within
   * AGENT_MAX_CLOCK_SKEW_SECONDS each start time is moved onto the server's
   * clock, beyond it the batch is refused so the agent keeps it spooled
   * until its clock is fixed, instead of storing times nobody can trust.
   */
  async ingest(agent: AgentIdentity, body: unknown, now: Date = new Date()): Promise<AgentResultAckDto> {
    const batch = parseResultBatch(body);
    if (batch.vantage !== undefined && batch.vantage !== agent.vantageId) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `vantage: this token belongs to vantage ${agent.vantageId}`, field: 'vantage' });
    }
    const clockSkewMs = batch.sentAt.getTime() - now.getTime();
    const maxSkewMs = this.config.agentMaxClockSkewSeconds * 1000;
    if (Math.abs(clockSkewMs) > maxSkewMs) {
      throw new InvalidParameterException('sentAt', `the agent's clock is ${Math.round(clockSkewMs / 1000)} s off the server's, beyond AGENT_MAX_CLOCK_SKEW_SECONDS (${this.config.agentMaxClockSkewSeconds}); fix the agent's clock (NTP)`);
    }
    const known = await this.knownMirrorIds(batch.results.map((entry) => entry.mirrorId), now);
    const oldestAcceptedMs = now.getTime() - this.config.rawProbeRetentionDays * 86_400_000;
    const inputs = batch.results.map((entry, index): AgentResultInput => {
      if (!known.has(entry.mirrorId)) throw new InvalidParameterException(`results[${index}].mirrorId`, 'is not a mirror of this server');
      const startedAt = new Date(entry.result.startedAt.getTime() - clockSkewMs);
      if (startedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) throw new InvalidParameterException(`results[${index}].startedAt`, 'lies in the future');
      if (startedAt.getTime() < oldestAcceptedMs) throw new InvalidParameterException(`results[${index}].startedAt`, `is older than the raw probe retention (${this.config.rawProbeRetentionDays} days)`);
      return { resultId: entry.resultId, mirrorId: entry.mirrorId, repository: entry.repository, result: { ...entry.result, startedAt } };
    });
    const outcome = await this.results.ingest(agent.vantageId, inputs, this.statusPolicy());
    await this.vantages.touch(agent.tokenId, now, clockSkewMs);
    if (outcome.stored > 0) this.feed.announce(agent.vantageId);
    if (batch.spoolDropped > 0) this.logger.warn({ msg: 'agent dropped results from its full spool', vantage: agent.vantageId, token: agent.tokenId, dropped: batch.spoolDropped });
    return { ...outcome, clockSkewMs };
  }

  /**
   * Mirror ids of this server, read at most every few seconds (every batch
   * asks); an id missing from the cached set is looked up again before it is
   * refused, so a mirror added a moment ago is never refused for good.
   */
  private async knownMirrorIds(wanted: readonly string[], now: Date): Promise<ReadonlySet<string>> {
    const fresh = this.mirrorIds !== null && now.getTime() - this.mirrorIds.readAt < MIRROR_IDS_TTL_MS;
    if (fresh && wanted.every((id) => this.mirrorIds?.ids.has(id))) return this.mirrorIds?.ids ?? new Set();
    const ids = new Set((await this.mirrors.listAll()).map((mirror) => mirror.id));
    this.mirrorIds = { readAt: now.getTime(), ids };
    return ids;
  }

  private statusPolicy(): StatusPolicy {
    return { ...DEFAULT_STATUS_POLICY, failuresToDown: this.config.failuresToDown, successesToUp: this.config.successesToUp };
  }
}
