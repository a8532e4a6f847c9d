import { Injectable } from '@nestjs/common';
import { MirrorStateEvents } from '#probing/state/mirror-state-events.js';
import { NotificationService } from './notification.service.js';
import { transitionEvents } from './transition-events.js';

/** Turns recorded state changes into notifications; `notify` only queues, off the probe path. */
@Injectable()
export class StateChangeReaction {
  constructor(events: MirrorStateEvents, notifier: NotificationService) {
    events.onStateRecorded(({ mirror, previous, next, result }) => {
      for (const event of transitionEvents(mirror, previous, next, result)) notifier.notify(event);
    });
  }
}
