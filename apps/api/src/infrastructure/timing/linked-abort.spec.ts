import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { linkedAbort } from './linked-abort.js';

describe('linkedAbort', () => {
  it('aborts with the reason of the first source that aborts, and then leaves no listener on any source', () => {
    const term = new AbortController();
    const deadline = new AbortController();
    const linked = linkedAbort([term.signal, deadline.signal]);
    expect(linked.signal.aborted).toBe(false);
    deadline.abort(new Error('past the deadline'));
    expect(linked.signal.aborted).toBe(true);
    expect((linked.signal.reason as Error).message).toBe('past the deadline');
    expect(getEventListeners(term.signal, 'abort')).toHaveLength(0);
    term.abort(new Error('later'));
    expect((linked.signal.reason as Error).message).toBe('past the deadline');
  });

  it('is aborted at once when a source already is, and attaches nothing', () => {
    const live = new AbortController();
    const aborted = new AbortController();
    aborted.abort('gone');
    const linked = linkedAbort([live.signal, aborted.signal]);
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe('gone');
    expect(getEventListeners(live.signal, 'abort')).toHaveLength(0);
  });

  it('follows no source after unlink, and leaves a long-lived source as it found it however often it is linked', () => {
    const term = new AbortController();
    for (let cycle = 0; cycle < 1_000; cycle += 1) {
      const deadline = new AbortController();
      const linked = linkedAbort([term.signal, deadline.signal]);
      linked.unlink();
    }
    expect(getEventListeners(term.signal, 'abort')).toHaveLength(0);
    const last = linkedAbort([term.signal]);
    last.unlink();
    term.abort();
    expect(last.signal.aborted).toBe(false);
  });
});
