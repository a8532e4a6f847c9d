import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestLogLevel } from './logging.options.js';

const request = (url: string) => ({ url }) as IncomingMessage;
const response = (statusCode: number) => ({ statusCode }) as ServerResponse;
const failed = new Error('failed with status code 503');

describe('requestLogLevel', () => {
  it('logs failures at error, refusals at warn and the rest at debug', () => {
    expect(requestLogLevel(request('/api/mirrors'), response(500), new Error('boom'))).toBe('error');
    expect(requestLogLevel(request('/api/mirrors'), response(503), failed)).toBe('error');
    expect(requestLogLevel(request('/api/mirrors?limit=x'), response(400))).toBe('warn');
    expect(requestLogLevel(request('/api/mirrors'), response(200))).toBe('debug');
  });

  it("keeps readiness's 503 (starting, catching up) out of the error log, and only that", () => {
    expect(requestLogLevel(request('/api/health/ready'), response(503), failed)).toBe('debug');
    expect(requestLogLevel(request('/api/health/ready?verbose=1'), response(503), failed)).toBe('debug');
    expect(requestLogLevel(request('/api/health/ready'), response(500), failed)).toBe('error');
    expect(requestLogLevel(request('/api/health/live'), response(503), failed)).toBe('error');
    expect(requestLogLevel(request('/api/health/readyz'), response(503), failed)).toBe('error');
  });
});
