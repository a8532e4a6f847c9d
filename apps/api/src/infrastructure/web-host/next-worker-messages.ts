/** What the API thread hands the dashboard thread when it starts it. */
export interface NextWorkerData {
  /** The built dashboard (apps/web, with its .next build). */
  dir: string;
}

/** From the dashboard thread: it listens on this loopback port, or it could not load. */
export type FromNextWorker = { type: 'ready'; port: number } | { type: 'failed'; message: string };

/** To the dashboard thread: stop serving and close Next (the thread is ended shortly after either way). */
export type ToNextWorker = { type: 'close' };
