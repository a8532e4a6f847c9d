/**
 * Whether the dashboard (Next.js, on the same port) serves pages yet. The API
 * opens its port as soon as Nest is ready; Next.js keeps loading its build
 * beside it, and until it is done pages answer 503 with Retry-After and
 * readiness says the dashboard is still loading.
 */
export type WebHostState = 'off' | 'loading' | 'ready';

export class WebHostStatus {
  constructor(private current: WebHostState) {}

  state(): WebHostState {
    return this.current;
  }

  markReady(): void {
    this.current = 'ready';
  }
}
