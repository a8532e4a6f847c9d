import type { PhaseTimings } from '@mirrorwatch/domain';

/** blackbox_exporter's `probe_http_duration_seconds` phases, so its Grafana panels fit with a relabel. */
export const BLACKBOX_PHASES = ['resolve', 'connect', 'tls', 'processing', 'transfer'] as const;
export type BlackboxPhase = (typeof BLACKBOX_PHASES)[number];

/**
 * Our pull-shaped phases folded into blackbox's. `processing` is the registry
 * conversation up to the manifest (GET /v2/ to first byte, token dance,
 * manifest), what blackbox calls server processing; `transfer` is the blob
 * body (deep probes). A phase that did not run reports 0, as blackbox does
 * for `tls` on plain HTTP.
 */
export function blackboxPhaseSeconds(timings: PhaseTimings): Record<BlackboxPhase, number> {
  const ms = (value: number | null) => value ?? 0;
  return {
    resolve: ms(timings.dnsMs) / 1000,
    connect: ms(timings.connectMs) / 1000,
    tls: ms(timings.tlsMs) / 1000,
    processing: (ms(timings.pingTtfbMs) + ms(timings.tokenMs) + ms(timings.manifestMs) + ms(timings.blobTtfbMs)) / 1000,
    transfer: ms(timings.blobTransferMs) / 1000,
  };
}
