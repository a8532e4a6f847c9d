import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { WORKSPACE_ROOT } from '../configuration/workspace-root.js';

type NextRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface NextWebHost {
  handle: NextRequestHandler;
  close(): Promise<void>;
}

const WEB_DIR = path.join(WORKSPACE_ROOT, 'apps', 'web');

/** A missing build is a start-up error, raised before the port opens (Next.js itself loads after). */
export function assertDashboardBuilt(): void {
  if (!existsSync(path.join(WEB_DIR, '.next', 'BUILD_ID'))) {
    throw new Error(`The dashboard is not built (${WEB_DIR}/.next is missing): run "npm run build" first.`);
  }
}

/**
 * Runs the built Next.js dashboard inside the API process so pages and `/api`
 * share one origin and one port (the interface contract), with no proxy hop
 * in front of the REST endpoints that fleets hit.
 */
export async function startNextWebHost(options: { port: number }): Promise<NextWebHost> {
  assertDashboardBuilt();
  // Imported here, not at the top: a start with MIRRORWATCH_SERVE_WEB=false never loads Next.js,
  // and with it the load runs once the API serves (start.ts), not ahead of it.
  // `next` is CommonJS; under NodeNext its default export is the factory function.
  const { default: createNextServer } = await import('next');
  const factory = createNextServer as unknown as (opts: { dev: boolean; dir: string; port: number; hostname: string }) => {
    prepare(): Promise<void>;
    getRequestHandler(): NextRequestHandler;
    close(): Promise<void>;
  };
  const server = factory({ dev: false, dir: WEB_DIR, port: options.port, hostname: '127.0.0.1' });
  await server.prepare();
  return { handle: server.getRequestHandler(), close: () => server.close() };
}
