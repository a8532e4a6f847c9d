import { randomUUID } from 'node:crypto';

/**
 * A light probe result as an agent sends it to `POST /api/agent/results`
 * (the wire format result-batch.schema.ts validates): a pass with a manifest
 * time, or a refused connection.
 */
export function agentLightResult(mirrorId: string, ok: boolean, startedAt: Date): Record<string, unknown> {
  return {
    id: randomUUID(),
    mirrorId,
    repository: 'library/alpine',
    kind: 'light',
    startedAt: startedAt.toISOString(),
    durationMs: 5,
    ok,
    failureClass: ok ? null : 'connect_refused',
    failedPhase: ok ? null : 'connect',
    detail: ok ? null : 'connection refused from this network',
    httpStatus: ok ? 200 : null,
    timings: {
      dnsMs: 0,
      connectMs: ok ? 1 : null,
      tlsMs: null,
      pingTtfbMs: ok ? 2 : null,
      tokenMs: null,
      manifestMs: ok ? 3 : null,
      blobTtfbMs: null,
      blobTransferMs: null,
    },
    manifest: ok
      ? {
          repository: 'library/alpine',
          reference: 'latest',
          digest: `sha256:${'a'.repeat(64)}`,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          platformDigest: null,
        }
      : null,
    blob: null,
    retryAfterSeconds: null,
  };
}

/** Sends one batch as the agent holding `token` would; resolves to the response. */
export function postAgentResults(origin: string, token: string, results: readonly Record<string, unknown>[]): Promise<Response> {
  return fetch(`${origin}/api/agent/results`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ sentAt: new Date().toISOString(), results }),
  });
}
