import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadline, DeadlineExpired } from './deadline.js';

describe('Deadline.follow', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("aborts with the followed deadline's reason and leaves the expiry recorded on that one only", () => {
    const total = new Deadline(1_000, 'probe budget');
    const request = new Deadline(5_000, 'no headers');
    request.follow(total);
    vi.advanceTimersByTime(1_000);
    expect(request.signal.aborted).toBe(true);
    expect(request.signal.reason).toBeInstanceOf(DeadlineExpired);
    expect((request.signal.reason as DeadlineExpired).reason).toBe('probe budget');
    expect(total.expiredReason).toBe('probe budget');
    // classifyError finds the deadline that expired: not the request's own.
    expect(request.expiredReason).toBeNull();
  });

  it('follows a deadline already expired at once, and its own expiry still wins when it comes first', () => {
    const phase = new Deadline(0, 'token phase');
    vi.advanceTimersByTime(0);
    const late = new Deadline(5_000, 'no headers');
    late.follow(phase);
    expect(late.signal.aborted).toBe(true);

    const total = new Deadline(10_000, 'probe budget');
    const request = new Deadline(100, 'no headers');
    request.follow(total);
    vi.advanceTimersByTime(100);
    expect(request.expiredReason).toBe('no headers');
    expect(total.signal.aborted).toBe(false);
  });

  it('is detached by clear(): a later expiry of the followed deadline no longer reaches it, and arm() keeps following', () => {
    const total = new Deadline(1_000, 'probe budget');
    const rearmed = new Deadline(100, 'no headers');
    rearmed.follow(total);
    rearmed.arm(5_000, 'body not complete');
    const done = new Deadline(100, 'no headers');
    done.follow(total);
    done.clear();
    vi.advanceTimersByTime(1_000);
    expect(rearmed.signal.aborted).toBe(true);
    expect(done.signal.aborted).toBe(false);
  });
});
