/** From the dashboard process: it listens on this loopback port, or it could not load. */
export type FromNextProcess = { type: 'ready'; port: number } | { type: 'failed'; message: string };

/** To the dashboard process: stop serving and close Next (the process is ended shortly after either way). */
export type ToNextProcess = { type: 'close' };

/**
 * The dashboard process's nice value, set by the API as it starts the process
 * and by the process for its main thread again: below the API, since pages
 * are answered from the page cache (a kept page while a new one renders) and
 * a render can wait for a core, while liveness and the exports cannot. Not
 * the lowest: the first page after a start waits for Next to load.
 */
export const DASHBOARD_NICE = 5;
