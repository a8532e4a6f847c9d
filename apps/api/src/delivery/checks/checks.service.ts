import { HttpException, HttpStatus, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { CHECK_RESULT_TTL_SECONDS, type CheckDto } from '@mirrorwatch/api-types';
import { normalizeMirrorUrl } from '@mirrorwatch/catalog';
import type { ProbeResult } from '@mirrorwatch/domain';
import { OutboundAddressRefusedError, assertUrlAllowed, probeMirror, type OutboundPolicy } from '@mirrorwatch/probe';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { CheckStore } from './check-store.js';

/** Checks running at once across all clients: each holds sockets and up to a blob's worth of bandwidth. */
export const MAX_CONCURRENT_CHECKS = 4;
const MAX_STORED_CHECKS = 1_000;
/** The whole check stays under the promised 20 s, request handling included. */
const CHECK_TOTAL_MS = 18_000;
/** One blob is enough to see that blobs come through and how fast; a full layer is not needed. */
const CHECK_BLOB_BYTES = 1024 * 1024;

/** Tests only: a resolver and test-only public names for the checks' address policy. */
export const CHECKS_POLICY_OVERRIDES = Symbol('CHECKS_POLICY_OVERRIDES');
export type ChecksPolicyOverrides = Pick<OutboundPolicy, 'lookup' | 'publicHostsForTesting'>;

/**
 * "Check my mirror": a deep probe (the light probe plus the config blob and
 * one layer, capped) of a URL anyone may submit. Public, so: the target, its
 * redirects and token realm must be public addresses at connect time (unless
 * ALLOW_PRIVATE_CHECK_TARGETS), one check per URL at a time, a bounded number
 * at once, results only in memory. Nothing here touches the catalog or the
 * probe history.
 */
@Injectable()
export class ChecksService {
  private readonly logger = new Logger(ChecksService.name);
  private readonly store = new CheckStore<CheckDto>(CHECK_RESULT_TTL_SECONDS * 1000, MAX_STORED_CHECKS);
  private readonly running = new Set<string>();
  private readonly policy: OutboundPolicy;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() @Inject(CHECKS_POLICY_OVERRIDES) overrides: ChecksPolicyOverrides | null = null,
  ) {
    this.policy = { scope: config.allowPrivateCheckTargets ? 'private-network' : 'public', ...overrides };
  }

  async create(body: unknown): Promise<CheckDto> {
    const url = await this.admissibleUrl(body);
    if (this.running.has(url)) {
      throw new HttpException(
        { statusCode: 409, error: 'Conflict', message: 'url: a check of this URL is already running', field: 'url' },
        HttpStatus.CONFLICT,
      );
    }
    if (this.running.size >= MAX_CONCURRENT_CHECKS) {
      throw new HttpException(
        { statusCode: 503, error: 'Service Unavailable', message: `${MAX_CONCURRENT_CHECKS} checks are running; retry in a few seconds` },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    this.running.add(url);
    try {
      const result = await probeMirror(
        { url, policy: this.policy },
        {
          kind: 'deep',
          timeouts: { connectMs: 5_000, headersMs: 8_000, bodyMs: 8_000, tokenMs: 8_000, totalMs: CHECK_TOTAL_MS },
          caps: { blobBytes: CHECK_BLOB_BYTES },
        },
      );
      // The name passed the courtesy check but the connect-time lookup said otherwise (DNS rebinding).
      if (result.failureClass === 'blocked_address' && result.detail?.startsWith(`${new URL(url).hostname} `)) {
        throw new InvalidParameterException('url', result.detail.split(';')[0] ?? 'refused by the outbound address policy');
      }
      const id = CheckStore.newId();
      const dto = toDto(id, url, result, new Date(0));
      const expiresAt = this.store.put(id, dto);
      dto.expiresAt = new Date(expiresAt).toISOString();
      this.logger.log({ msg: 'check finished', verdict: dto.verdict, failureClass: dto.failureClass });
      return dto;
    } finally {
      this.running.delete(url);
    }
  }

  get(id: string): CheckDto {
    const check = this.store.get(id);
    if (check === null) {
      throw new HttpException(
        { statusCode: 404, error: 'Not Found', message: 'no such check (unknown id, or it expired)' },
        HttpStatus.NOT_FOUND,
      );
    }
    return check;
  }

  /** The normalized URL, or a 400 naming `url` and why it is refused. */
  private async admissibleUrl(body: unknown): Promise<string> {
    const raw = typeof body === 'object' && body !== null ? (body as { url?: unknown }).url : undefined;
    if (typeof raw !== 'string') throw new InvalidParameterException('url', 'must be a string such as https://xxxx.mirror.aliyuncs.com');
    if (raw.length > 2_048) throw new InvalidParameterException('url', 'is longer than 2048 characters');
    const normalized = normalizeMirrorUrl(raw);
    if (!normalized.ok) throw new InvalidParameterException('url', normalized.reason);
    try {
      await assertUrlAllowed(this.policy, new URL(normalized.url));
    } catch (error) {
      if (error instanceof OutboundAddressRefusedError) throw new InvalidParameterException('url', error.message);
      const code = (error as { code?: unknown }).code;
      throw new InvalidParameterException('url', `host does not resolve${typeof code === 'string' ? ` (${code})` : ''}`);
    }
    return normalized.url;
  }
}

function toDto(id: string, url: string, result: ProbeResult, expiresAt: Date): CheckDto {
  return {
    id,
    url,
    verdict: result.ok ? 'usable' : 'unusable',
    startedAt: result.startedAt.toISOString(),
    durationMs: Math.round(result.durationMs),
    failureClass: result.failureClass,
    failedPhase: result.failedPhase,
    detail: result.detail,
    httpStatus: result.httpStatus,
    timings: result.timings,
    digest: result.manifest?.digest ?? null,
    blob:
      result.blob === null
        ? null
        : {
            digest: result.blob.digest,
            bytes: result.blob.bytes,
            verified: result.blob.verified,
            throughputBytesPerSec: result.blob.throughputBytesPerSec,
          },
    expiresAt: expiresAt.toISOString(),
  };
}
