import type { ProbeResult } from '@mirrorwatch/domain';
import type { ProbeOptionsInput, ProbeTarget } from '@mirrorwatch/probe';

/** Options as they cross the thread boundary: an AbortSignal cannot, so aborts travel as their own message. */
export type ThreadProbeOptions = Omit<ProbeOptionsInput, 'signal'>;

export type ToEngine =
  | {
      type: 'probe';
      id: number;
      target: ProbeTarget;
      options: ThreadProbeOptions;
      /** When to start (epoch ms), timed by the engine thread's own clock; absent or past: at once. */
      startAt?: number;
    }
  | { type: 'abort'; id: number };

export interface EngineOutcome {
  id: number;
  result?: ProbeResult;
  /** A bug in the engine (it records failures on the result and does not throw for a misbehaving mirror). */
  error?: string;
  /** Its signal fired while it waited for its start time: nothing was sent to the mirror, so there is no result. */
  notStarted?: true;
}

/** Outcomes of probes that finished close together (outcome-courier.ts), sent as one message. */
export interface FromEngine {
  type: 'outcomes';
  outcomes: EngineOutcome[];
}
