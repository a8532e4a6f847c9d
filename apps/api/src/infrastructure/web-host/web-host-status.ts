/**
 * Whether the dashboard (Next.js in its own process, served on the same port)
 * serves pages. The API opens its port as soon as Nest is ready; Next.js
 * keeps loading its build beside it, and until it is done pages answer 503
 * with Retry-After and readiness says the dashboard is still loading. If its
 * process dies, the same happens while it is started again ('restarting').
 */
export type WebHostState = 'off' | 'loading' | 'ready' | 'restarting';

export class WebHostStatus {
  private why: string | null = null;
  private readonly closers: Array<() => Promise<void>> = [];
  private closing: Promise<void> | null = null;

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

  /** Work to finish when the application shuts down (the dashboard process's end). */
  onShutdown(closer: () => Promise<void>): void {
    this.closers.push(closer);
  }

  /**
   * Nest calls these on the provider (WebHostModule). The closing starts
   * before the HTTP server closes, beside the other modules' shutdown work:
   * that close cuts every connection anyway (forceCloseConnections), pages
   * in flight included. It is awaited once the server is closed.
   */
  beforeApplicationShutdown(): void {
    this.closing ??= Promise.all(this.closers.splice(0).map((close) => close().catch(() => undefined))).then(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    this.beforeApplicationShutdown();
    await this.closing;
  }
}
