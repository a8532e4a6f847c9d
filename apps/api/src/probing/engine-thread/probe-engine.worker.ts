/**
 * The probe engine's own thread. Phase timings (connect, TLS, first byte)
 * are read from socket and diagnostics-channel events, so they are only as
 * exact as the event loop that delivers those events: on the API's loop a
 * burst of requests delayed them by 8-40 ms (issue 10). Here nothing else
 * runs; results go back to the API thread in batches, one message per turn.
 */
import { parentPort } from 'node:worker_threads';
import { probeMirror } from '@mirrorwatch/probe';
import type { EngineOutcome, FromEngine, ToEngine } from './engine-messages.js';

const port = parentPort;
if (port === null) throw new Error('probe-engine.worker.js runs as a worker thread only');

const inFlight = new Map<number, AbortController>();
let batch: EngineOutcome[] = [];

function deliver(outcome: EngineOutcome): void {
  if (batch.length === 0) setImmediate(flush);
  batch.push(outcome);
}

function flush(): void {
  const message: FromEngine = { type: 'outcomes', outcomes: batch };
  batch = [];
  port?.postMessage(message);
}

port.on('message', (message: ToEngine) => {
  if (message.type === 'abort') {
    inFlight.get(message.id)?.abort();
    return;
  }
  const abort = new AbortController();
  inFlight.set(message.id, abort);
  // Handed over ahead of its time: this thread's timer starts it when due. An abort while it waits (the
  // scheduler stopping, leadership lost) cancels it: the mirror was never asked, so there is no outcome to store.
  const waitMs = message.startAt === undefined ? 0 : message.startAt - Date.now();
  if (waitMs <= 0) {
    start(message, abort);
    return;
  }
  const cancel = () => {
    clearTimeout(timer);
    inFlight.delete(message.id);
    deliver({ id: message.id, notStarted: true });
  };
  const timer = setTimeout(() => {
    abort.signal.removeEventListener('abort', cancel);
    start(message, abort);
  }, waitMs);
  abort.signal.addEventListener('abort', cancel, { once: true });
});

function start(message: Extract<ToEngine, { type: 'probe' }>, abort: AbortController): void {
  probeMirror(message.target, { ...message.options, signal: abort.signal })
    .then(
      (result) => deliver({ id: message.id, result }),
      (error: unknown) => deliver({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    )
    .finally(() => inFlight.delete(message.id));
}
