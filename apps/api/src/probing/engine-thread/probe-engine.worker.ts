/**
 * The probe engine's own thread. Phase timings (connect, TLS, first byte)
 * are read from socket and diagnostics-channel events, so they are only as
 * exact as the event loop that delivers those events: on the API's loop a
 * burst of requests delayed them by 8-40 ms (issue 10). Here nothing else
 * runs; probes due at the same time share one timer and start one after
 * another (due-timers.ts), and outcomes go back to the API thread in as few
 * messages as their timing allows (outcome-courier.ts).
 */
import { parentPort } from 'node:worker_threads';
import { probeMirror } from '@mirrorwatch/probe';
import type { FromEngine, ToEngine } from './engine-messages.js';
import { DueTimers } from './due-timers.js';
import { OutcomeCourier } from './outcome-courier.js';

const port = parentPort;
if (port === null) throw new Error('probe-engine.worker.js runs as a worker thread only');

const inFlight = new Map<number, AbortController>();
const dueTimers = new DueTimers();
const courier = new OutcomeCourier((outcomes) => port.postMessage({ type: 'outcomes', outcomes } satisfies FromEngine));

port.on('message', (message: ToEngine) => {
  if (message.type === 'abort') {
    inFlight.get(message.id)?.abort();
    return;
  }
  const abort = new AbortController();
  inFlight.set(message.id, abort);
  // Handed over ahead of its time: this thread's timer starts it when due. An abort while it waits (the
  // scheduler stopping, leadership lost) cancels it: the mirror was never asked, so there is no outcome to store.
  if (message.startAt === undefined || message.startAt <= Date.now()) {
    void start(message, abort);
    return;
  }
  const cancel = () => {
    cancelStart();
    inFlight.delete(message.id);
    courier.deliver({ id: message.id, notStarted: true }, false);
  };
  const cancelStart = dueTimers.at(message.startAt, () => {
    abort.signal.removeEventListener('abort', cancel);
    return start(message, abort);
  });
  abort.signal.addEventListener('abort', cancel, { once: true });
});

/** Starts the probe; the promise settles once its outcome is with the courier. */
function start(message: Extract<ToEngine, { type: 'probe' }>, abort: AbortController): Promise<void> {
  courier.started();
  return probeMirror(message.target, { ...message.options, signal: abort.signal })
    .then(
      (result) => courier.deliver({ id: message.id, result }, true),
      (error: unknown) =>
        courier.deliver({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, true),
    )
    .finally(() => inFlight.delete(message.id));
}
