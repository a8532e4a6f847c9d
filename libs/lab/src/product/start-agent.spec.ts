import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AGENT_NODE_FLAGS } from './start-agent.js';

/**
 * The agent's memory figures (docs/benchmarks/vantage-agents.md) hold only
 * for the V8 heap flags it was measured with: tests and benchmarks start it
 * with AGENT_NODE_FLAGS, users with `npm run agent` or the Docker image
 * (and the compose service built from it). All three must agree.
 */
const root = new URL('../../../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

describe('agent heap flags', () => {
  it('are the same in `npm run agent`, apps/agent/Dockerfile and the lab', () => {
    const script = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['agent'] ?? '';
    expect(script).toBe(`node ${AGENT_NODE_FLAGS.join(' ')} apps/agent/dist/main.js`);
    const cmd = /^CMD (\[.*\])$/m.exec(read('apps/agent/Dockerfile'))?.[1] ?? '[]';
    expect((JSON.parse(cmd) as string[]).slice(0, 1 + AGENT_NODE_FLAGS.length)).toEqual(['node', ...AGENT_NODE_FLAGS]);
    expect(read('docker-compose.yml')).toContain('dockerfile: apps/agent/Dockerfile');
  });
});
