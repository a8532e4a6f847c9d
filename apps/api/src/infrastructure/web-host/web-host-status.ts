/**
 * Whether the dashboard (Next.js on its own thread, served on the same port)
 * serves pages. The API opens its port as soon as Nest is ready; Next.js
 * keeps loading its build beside it, and until it is done pages answer 503
 * with Retry-After and readiness says the dashboard is still loading. If its
 * thread dies, the same happens while it is started again ('restarting').
 */
export type WebHostState = 'off' | 'loading' | 'ready' | 'restarting';

export class WebHostStatus {
  private why: string | null = null;
  private readonly closers: Array<() => Promise<void>> = [];

  constructor(private current: WebHostState) {}

  state(): WebHostState {
    return this.current;
  }

  /** Why the dashboard is not serving (while restarting), for readiness. */
  reason(): string | null {
    return this.why;
  }

  markReady(): void {
    this.current = 'ready';
    this.why = null;
  }

  markRestarting(reason: string): void {
    this.current = 'restarting';
    this.why = reason;
  }

  /** Work to finish when the application shuts down (the dashboard thread's end). */
  onShutdown(closer: () => Promise<void>): void {
    this.closers.push(closer);
  }

  /** Nest calls this on the provider (WebHostModule) once the HTTP server has closed. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.closers.splice(0).map((close) => close().catch(() => undefined)));
  }
}
