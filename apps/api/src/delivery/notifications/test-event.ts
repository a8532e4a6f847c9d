import type { MirrorEvent } from './mirror-event.js';

/**
 * The message `POST /api/admin/notification-channels/:id/test` sends through
 * the channel's real provider. Its kind is `recovered` only so providers pick
 * their calm colour and emoji; every provider titles it as a test, and the
 * generic webhook sends `"event": "test"`.
 */
export function testEvent(channelName: string, now: Date): MirrorEvent {
  return {
    kind: 'recovered',
    test: true,
    mirror: { id: 'mirrorwatch-test', name: 'test', url: '', visibility: 'private', upstream: 'docker.io' },
    status: 'up',
    failureClass: null,
    detail: `Test message for channel "${channelName}" from the mirrorwatch admin API; no mirror changed state.`,
    at: now,
  };
}
