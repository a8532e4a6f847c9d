import { readFile } from 'node:fs/promises';
import { ForbiddenException, Inject, Injectable, Logger } from '@nestjs/common';
import type { AgentConfigDto, AgentResultAckDto } from '@mirrorwatch/api-types';
import { bucketStart, DEFAULT_STATUS_POLICY, retentionCutoff, type StatusPolicy } from '@mirrorwatch/scoring';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { AgentResultRepository, type AgentResultInput } from '#infrastructure/persistence/agent-result.repository.js';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { VantageRepository, type AgentIdentity } from '#infrastructure/persistence/vantage.repository.js';
import { outboundPolicyFor } from '../targets/outbound-policy-for.js';
import type { MirrorDefinition } from '@mirrorwatch/domain';
import { probeImageFor } from '#infrastructure/configuration/probed-image.js';
import { AgentResultsFeed } from './agent-results-feed.js';
import { MAX_RESULTS_PER_BATCH, parseResultBatch } from './result-batch.schema.js';

/** How long the map of mirrors is reused between batches. */
const MIRRORS_TTL_MS = 5_000;

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
  private mirrorsById: { readAt: number; byId: ReadonlyMap<string, MirrorDefinition> } | null = null;

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
      requestsPerMinute: this.config.agentRequestsPerMinute,
      mirrors: await Promise.all(
        enabled.map(async (mirror) => {
          // The image the server's own probes pull through this mirror (its upstream's, under its path prefix).
          const image = probeImageFor(mirror);
          return {
            id: mirror.id,
            url: mirror.url,
            scope: outboundPolicyFor(mirror.url, this.config).scope,
            caPem: mirror.caPath ? await readFile(mirror.caPath, 'utf8') : null,
            repository: image.requestRepository,
            reference: image.reference,
          };
        }),
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
      throw new ForbiddenException({
        statusCode: 403,
        error: 'Forbidden',
        message: `vantage: this token belongs to vantage ${agent.vantageId}`,
        field: 'vantage',
      });
    }
    const clockSkewMs = batch.sentAt.getTime() - now.getTime();
    const maxSkewMs = this.config.agentMaxClockSkewSeconds * 1000;
    if (Math.abs(clockSkewMs) > maxSkewMs) {
      throw new InvalidParameterException(
        'sentAt',
        `the agent's clock is ${Math.round(clockSkewMs / 1000)} s off the server's, beyond AGENT_MAX_CLOCK_SKEW_SECONDS (${this.config.agentMaxClockSkewSeconds}); fix the agent's clock (NTP)`,
      );
    }
    const known = await this.knownMirrors(
      batch.results.map((entry) => entry.mirrorId),
      now,
    );
    const oldestAcceptedMs = now.getTime() - this.config.rawProbeRetentionDays * 86_400_000;
    const inputs = batch.results.map((entry, index): AgentResultInput => {
      const mirror = known.get(entry.mirrorId);
      if (!mirror) throw new InvalidParameterException(`results[${index}].mirrorId`, 'is not a mirror of this server');
      const image = probeImageFor(mirror);
      // Stored under the server's own label for the mirror's main probe, so the agent's rows count where the server's do.
      if (entry.repository !== image.requestRepository)
        throw new InvalidParameterException(
          `results[${index}].repository`,
          `is not what this server probes on that mirror (${image.requestRepository})`,
        );
      const startedAt = new Date(entry.result.startedAt.getTime() - clockSkewMs);
      if (startedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
        throw new InvalidParameterException(`results[${index}].startedAt`, 'lies in the future');
      if (startedAt.getTime() < oldestAcceptedMs)
        throw new InvalidParameterException(
          `results[${index}].startedAt`,
          `is older than the raw probe retention (${this.config.rawProbeRetentionDays} days)`,
        );
      return {
        resultId: entry.resultId,
        mirrorId: entry.mirrorId,
        repository: image.storedRepository,
        result: { ...entry.result, startedAt },
      };
    });
    // A result for a day already over is recorded for the rollup pass to redo that day (it may have moved past it).
    const outcome = await this.results.ingest(agent.vantageId, inputs, this.statusPolicy(), {
      today: bucketStart('day', now),
      retainedFrom: retentionCutoff(now, this.config.rawProbeRetentionDays),
    });
    await this.vantages.touch(agent.tokenId, now, clockSkewMs);
    if (outcome.stored > 0) this.feed.announce(agent.vantageId);
    if (batch.spoolDropped > 0)
      this.logger.warn({
        msg: 'agent dropped results from its full spool',
        vantage: agent.vantageId,
        token: agent.tokenId,
        dropped: batch.spoolDropped,
      });
    return { ...outcome, clockSkewMs };
  }

  /**
   * This server's mirrors by id, read at most every few seconds (every batch
   * asks); an id missing from the cached map is looked up again before it is
   * refused, so a mirror added a moment ago is never refused for good.
   */
  private async knownMirrors(wanted: readonly string[], now: Date): Promise<ReadonlyMap<string, MirrorDefinition>> {
    const cached = this.mirrorsById;
    if (cached !== null && now.getTime() - cached.readAt < MIRRORS_TTL_MS && wanted.every((id) => cached.byId.has(id))) return cached.byId;
    const byId = new Map((await this.mirrors.listAll()).map((mirror) => [mirror.id, mirror] as const));
    this.mirrorsById = { readAt: now.getTime(), byId };
    return byId;
  }

  private statusPolicy(): StatusPolicy {
    return { ...DEFAULT_STATUS_POLICY, failuresToDown: this.config.failuresToDown, successesToUp: this.config.successesToUp };
  }
}
