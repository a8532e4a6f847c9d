import type { FailureClass, MirrorStatus, Visibility } from '@mirrorwatch/domain';

export const MIRROR_EVENT_KINDS = ['down', 'recovered', 'stale', 'integrity_failure'] as const;
export type MirrorEventKind = (typeof MIRROR_EVENT_KINDS)[number];

/** A change of a mirror's standing worth telling a human about. */
export interface MirrorEvent {
  kind: MirrorEventKind;
  /** `upstream`: the registry the mirror stands in for (`docker.io`, `registry.k8s.io`, ...). */
  mirror: { id: string; name: string; url: string; visibility: Visibility; upstream: string };
  /** Status after the change. */
  status: MirrorStatus;
  failureClass: FailureClass | null;
  /** Short, public-safe explanation from the probe (no tokens). */
  detail: string | null;
  at: Date;
  /** A test message from the admin API: providers say so, and no mirror is involved. */
  test?: true;
}

/**
 * What the state tracker calls on a transition. Implementations must return
 * at once (queue, never send inline): the tracker runs on the probe path.
 */
export interface MirrorEventNotifier {
  notify(event: MirrorEvent): void;
}
