/**
 * A signal that aborts as soon as any of `sources` does (with that source's
 * reason), until `unlink()` detaches it.
 *
 * For a long-lived source (the scheduler's term signal lives as long as the
 * leadership) this replaces `AbortSignal.any`: on Node 20 every `any()` call
 * leaves a WeakRef in each source's set of dependants that is only emptied
 * when the source aborts, so one call per probe cycle grew that set for the
 * life of the process. Here the only trace on a source is a listener, and
 * `unlink()` removes it.
 */
export interface LinkedAbort {
  readonly signal: AbortSignal;
  unlink(): void;
}

export function linkedAbort(sources: readonly AbortSignal[]): LinkedAbort {
  const controller = new AbortController();
  const attached: { source: AbortSignal; onAbort: () => void }[] = [];
  const unlink = () => {
    for (const { source, onAbort } of attached) source.removeEventListener('abort', onAbort);
    attached.length = 0;
  };
  for (const source of sources) {
    if (source.aborted) {
      unlink();
      controller.abort(source.reason);
      break;
    }
    const onAbort = () => {
      unlink();
      controller.abort(source.reason);
    };
    source.addEventListener('abort', onAbort, { once: true });
    attached.push({ source, onAbort });
  }
  return { signal: controller.signal, unlink };
}
