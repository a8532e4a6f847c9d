/** From the dashboard process: it listens on this loopback port, or it could not load. */
export type FromNextProcess = { type: 'ready'; port: number } | { type: 'failed'; message: string };

/** To the dashboard process: stop serving and close Next (the process is ended shortly after either way). */
export type ToNextProcess = { type: 'close' };
