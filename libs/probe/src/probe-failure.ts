import type { FailureClass, ProbePhase } from '@mirrorwatch/domain';

/**
 * Thrown inside the engine to unwind a probe at the first failure; probeMirror
 * turns it into result data. It never escapes the public API.
 */
export class ProbeFailure extends Error {
  constructor(
    readonly failureClass: FailureClass,
    readonly phase: ProbePhase,
    readonly detail: string,
    readonly httpStatus: number | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(`${failureClass} in ${phase}: ${detail}`);
    this.name = 'ProbeFailure';
  }
}
