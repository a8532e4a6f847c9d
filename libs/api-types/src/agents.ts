import type { MirrorStatus, ProbeResult } from '@mirrorwatch/domain';

/**
 * The agent protocol (`apps/agent` <-> `/api/agent/*`). Every request carries
 * `Authorization: Bearer <agent token>`; the token names the vantage, so a
 * body never needs to (and a body naming another vantage is refused).
 */

/** `GET /api/agent/config`: what a vantage's agents probe, and how often. */
export interface AgentConfigDto {
  vantage: string;
  /** Server clock when the answer was made (ISO-8601): agents log their offset from it. */
  serverTime: string;
  lightIntervalSeconds: number;
  deepIntervalSeconds: number;
  /** Most probes one mirror gets from one agent in an hour. */
  probeBudgetPerHour: number;
  /** Probes in flight at once. */
  concurrency: number;
  /** Results per `POST /api/agent/results`; more are refused with 400 on `results`. */
  maxBatch: number;
  /** Largest accepted |agent clock - server clock|; beyond it a batch is refused (400 on `sentAt`). */
  maxClockSkewSeconds: number;
  /**
   * Requests one agent token may make a minute (`AGENT_REQUESTS_PER_MINUTE`; 0: no limit). Agents pace their
   * deliveries below it: a 429's Retry-After can be up to a minute, during which results wait.
   */
  requestsPerMinute: number;
  mirrors: AgentMirrorDto[];
}

export interface AgentMirrorDto {
  id: string;
  url: string;
  /** The outbound address scope the server's own probes of this mirror use (same policy on every vantage). */
  scope: 'public' | 'private-network';
  /** PEM bundle to trust (private CA), when the catalog names one. */
  caPem: string | null;
  /** Repository and tag a probe pulls. */
  repository: string;
  reference: string;
}

/** One probe result as an agent ships it: the engine's ProbeResult with an id, its mirror and what it asked for. */
export interface AgentResultDto extends Omit<ProbeResult, 'startedAt'> {
  /** UUID chosen by the agent when the probe ended: replays with the same id are stored once. */
  id: string;
  mirrorId: string;
  repository: string;
  /** ISO-8601 on the agent's clock; the server corrects it by the measured skew. */
  startedAt: string;
}

/** `POST /api/agent/results`. */
export interface AgentResultBatchDto {
  /** Agent clock when the request was sent (ISO-8601): the server measures the skew from it. */
  sentAt: string;
  /** Optional; when present it must be the token's vantage. */
  vantage?: string;
  /** Results the agent dropped from its full spool since it started (drop-oldest). */
  spoolDropped?: number;
  results: AgentResultDto[];
}

export interface AgentResultAckDto {
  /** Results stored now. */
  stored: number;
  /** Results stored by an earlier request with the same ids (a replay). */
  duplicates: number;
  /** Agent clock minus server clock, in ms, as measured on this request. */
  clockSkewMs: number;
}

/** `POST /api/admin/vantages` body. */
export interface CreateVantageDto {
  /** Slug: lowercase letters, digits and dashes, e.g. `cn-mobile-gz`. */
  id: string;
  name?: string;
  notes?: string;
}

export interface VantageDto {
  id: string;
  name: string;
  notes: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** `POST /api/admin/vantages/:id/tokens`: the token is in this answer only, never again. */
export interface IssuedAgentTokenDto {
  id: string;
  vantage: string;
  token: string;
  label: string | null;
  createdAt: string;
}

export interface AgentTokenDto {
  id: string;
  vantage: string;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
  lastSeenAt: string | null;
  lastClockSkewMs: number | null;
}

/** One cell of `GET /api/vantages/matrix`. */
export interface VantageCellDto {
  vantage: string;
  status: MirrorStatus;
  lastProbeAt: string | null;
}

/** `GET /api/vantages/matrix`: public mirrors x live vantages, `local` first. */
export interface VantageMatrixDto {
  vantages: { id: string; name: string }[];
  mirrors: { id: string; name: string; cells: VantageCellDto[] }[];
  /** Vantages that must agree before the status page calls a mirror down. */
  downQuorum: number;
}
