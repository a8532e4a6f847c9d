import type { ServerResponse } from 'node:http';
import { afterAll, afterEach, expect } from 'vitest';
import type { FailureClass, ProbePhase, ProbeResult } from '@mirrorwatch/domain';
import { eventually, startRawServer, startServer, type TestServer } from './test-servers.js';

/**
 * Registers servers for cleanup and, after each test, asserts the probe left no
 * socket open on any of them (the engine must close everything it opens).
 */
export function useServers() {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const server of servers) expect(await eventually(() => server.openSockets() === 0, 2_000)).toBe(true);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });
  return {
    async http(...args: Parameters<typeof startServer>): Promise<TestServer> {
      const server = await startServer(...args);
      servers.push(server);
      return server;
    },
    async raw(...args: Parameters<typeof startRawServer>): Promise<TestServer> {
      const server = await startRawServer(...args);
      servers.push(server);
      return server;
    },
  };
}

/**
 * `startServer` whose servers all close after the suite, for suites that do
 * not assert on sockets left open (useServers does, after each test).
 */
export function serversClosedAfterSuite(): (...args: Parameters<typeof startServer>) => Promise<TestServer> {
  const servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });
  return async (...args) => {
    const server = await startServer(...args);
    servers.push(server);
    return server;
  };
}

export interface ExpectedFailure {
  failureClass: FailureClass;
  failedPhase: ProbePhase;
  httpStatus?: number | null;
  retryAfterSeconds?: number | null;
  detail?: RegExp;
}

export function expectFailure(result: ProbeResult, expected: ExpectedFailure): void {
  expect({ ok: result.ok, failureClass: result.failureClass, failedPhase: result.failedPhase, detail: result.detail }).toMatchObject({
    ok: false,
    failureClass: expected.failureClass,
    failedPhase: expected.failedPhase,
  });
  if (expected.httpStatus !== undefined) expect(result.httpStatus).toBe(expected.httpStatus);
  if (expected.retryAfterSeconds !== undefined) expect(result.retryAfterSeconds).toBe(expected.retryAfterSeconds);
  if (expected.detail) expect(result.detail).toMatch(expected.detail);
  expect(result.detail?.length ?? 0).toBeLessThan(300);
}

export function status(code: number, headers: Record<string, string> = {}, body = '') {
  return (_request: unknown, response: ServerResponse) => {
    response.writeHead(code, headers);
    response.end(body);
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
