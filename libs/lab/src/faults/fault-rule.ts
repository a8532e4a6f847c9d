import type { IncomingMessage } from 'node:http';
import type { ProxiedRequest } from './registry-request.js';

/**
 * One misbehaviour of a mirror. The fault proxy runs the rules' `intercept`
 * in order before forwarding (a rule may answer by itself, or just delay),
 * and lets the first rule whose `deliver` accepts take over sending the
 * upstream response (to corrupt or cut a body).
 */
export interface FaultRule {
  readonly name: string;
  /** Return true when the rule answered the request itself; it is then not forwarded. */
  intercept?(request: ProxiedRequest): boolean | Promise<boolean>;
  /** Return true when the rule took over writing `upstream` to `request.res`. */
  deliver?(request: ProxiedRequest, upstream: IncomingMessage): boolean;
}
