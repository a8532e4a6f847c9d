import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultRule } from '../fault-rule.js';

/** Delays every request before forwarding: a far-away or overloaded mirror that still works. */
export function addLatency(delayMs: number): FaultRule {
  return {
    name: `latency-${delayMs}ms`,
    async intercept() {
      await sleep(delayMs);
      return false;
    },
  };
}
