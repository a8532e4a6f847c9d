/**
 * Resident memory of the vantage agent probing 50 lab mirrors.
 *
 *   npm run build && npm run bench:agent-rss [-- --mirrors 50 --cycles 6]
 *
 * The lab's healthy pull-through mirror is put behind 50 loopback ports (50
 * distinct catalog URLs, each probed in full: ping, token check, manifest,
 * and the deep probe's blobs). The built agent (node apps/agent/dist/main.js)
 * probes them every 10 s for `cycles` light cycles plus one deep cycle; its
 * VmHWM (peak resident set, what /usr/bin/time -v reports as maximum RSS)
 * and final VmRSS come from /proc. Reference, same run: an idle Node.js
 * process (`node -e 'setInterval(...)'`), the floor any Node agent starts from.
 *
 *   npm run bench:agent-rss -- --replay 10000
 *
 * Replay mode: before the agent starts, its spool file is written with
 * `replay` results (what an agent left by a long outage, at the default cap
 * of 10,000), and the peak is measured from start until the agent has
 * delivered them all, while it also probes the 50 mirrors as usual.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AgentConfigDto, AgentResultDto, IssuedAgentTokenDto } from '@mirrorwatch/api-types';
import { AGENT_NODE_FLAGS, startAgent, startLab, startProduct, startTcpForwarder } from '@mirrorwatch/lab';

const { values } = parseArgs({
  options: {
    mirrors: { type: 'string', default: '50' },
    cycles: { type: 'string', default: '6' },
    replay: { type: 'string', default: '0' },
  },
});
const MIRRORS = Number(values.mirrors);
const CYCLES = Number(values.cycles);
const REPLAY = Number(values.replay);
/** Replay mode ends once every pre-written result is delivered, or after this long (then reported as not delivered). */
const REPLAY_TIMEOUT_MS = 10 * 60_000;
const INTERVAL_S = 10;
const ADMIN_TOKEN = 'agent-rss-bench-admin-token';

const workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-agent-rss-'));
const lab = await startLab();
const healthyPort = Number(new URL(lab.mirror('healthy').url).port);
const forwarders = await Promise.all(Array.from({ length: MIRRORS }, () => startTcpForwarder('127.0.0.1', healthyPort)));
await writeFile(
  path.join(workDir, 'catalog.yaml'),
  forwarders.map((f, i) => `- { name: m${i}, url: "http://127.0.0.1:${f.port}" }`).join('\n') + '\n',
);
const product = await startProduct({
  catalogPath: path.join(workDir, 'catalog.yaml'),
  lab,
  probeIntervalSeconds: INTERVAL_S,
  env: { ADMIN_TOKEN, LOG_LEVEL: 'warn' },
});
const idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });

try {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  await fetch(`${product.origin}/api/admin/vantages`, { method: 'POST', headers, body: JSON.stringify({ id: 'rss' }) });
  const { token } = (await (
    await fetch(`${product.origin}/api/admin/vantages/rss/tokens`, { method: 'POST', headers, body: '{}' })
  ).json()) as IssuedAgentTokenDto;
  const spoolPath = path.join(workDir, 'rss.spool');
  if (REPLAY > 0) await writeSpool(spoolPath, product.origin, token, REPLAY);
  const agent = startAgent({
    server: product.origin,
    token,
    spoolPath,
    env: process.env.AGENT_NODE_OPTIONS ? { NODE_OPTIONS: process.env.AGENT_NODE_OPTIONS } : {},
  });
  const samples: number[] = [];
  const startedAt = Date.now();
  const deadline = startedAt + (REPLAY > 0 ? REPLAY_TIMEOUT_MS : (CYCLES + 1) * INTERVAL_S * 1000);
  while (Date.now() < deadline && (REPLAY === 0 || delivered(agent.output()) < REPLAY)) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    samples.push((await status(agent.pid)).rssKiB);
  }
  const replaySeconds = ((Date.now() - startedAt) / 1000).toFixed(0);
  const agentStatus = await status(agent.pid);
  const idleStatus = await status(idle.pid ?? null);
  const results = agent.spooledIds().length;
  if (process.env.AGENT_RSS_VERBOSE)
    process.stdout.write(`rss samples (MiB, 1 s apart): ${samples.map((kib) => Math.round(kib / 1024)).join(' ')}\n`);
  if (process.env.AGENT_RSS_VERBOSE)
    process.stdout.write(
      agent
        .output()
        .split('\n')
        .filter((line) => line.includes('cycle finished'))
        .join('\n') + '\n',
    );
  await agent.stop();
  const mib = (kib: number) => (kib / 1024).toFixed(1);
  process.stdout.write(
    [
      REPLAY > 0
        ? `agent replaying a spool of ${REPLAY} results while probing ${MIRRORS} mirrors every ${INTERVAL_S} s: ${delivered(agent.output())} results delivered in ${replaySeconds} s (${results} probed meanwhile)`
        : `agent probing ${MIRRORS} mirrors every ${INTERVAL_S} s for ${CYCLES + 1} intervals (${results} results spooled and shipped, one deep cycle)`,
      `agent: node ${AGENT_NODE_FLAGS.join(' ')} apps/agent/dist/main.js${process.env.AGENT_NODE_OPTIONS ? ` (NODE_OPTIONS=${process.env.AGENT_NODE_OPTIONS})` : ''}; load average ${loadavg()
        .map((n) => n.toFixed(1))
        .join(' ')}`,
      `machine: ${cpus().length} vCPU (${cpus()[0]?.model ?? '?'}), Node ${process.version}`,
      '',
      '| process | peak RSS (VmHWM) MiB | final RSS MiB | median RSS MiB | final: anonymous / file-backed MiB |',
      '|---|---:|---:|---:|---:|',
      `| mirrorwatch agent | ${mib(agentStatus.hwmKiB)} | ${mib(agentStatus.rssKiB)} | ${mib(median(samples))} | ${mib(agentStatus.anonKiB)} / ${mib(agentStatus.fileKiB)} |`,
      `| idle node (reference) | ${mib(idleStatus.hwmKiB)} | ${mib(idleStatus.rssKiB)} | | ${mib(idleStatus.anonKiB)} / ${mib(idleStatus.fileKiB)} |`,
      // File-backed pages are mostly the node binary's code and read-only data: shared with every other Node process on the host.
      `goal: peak <= 60 MiB: ${agentStatus.hwmKiB <= 60 * 1024 ? 'met' : 'NOT MET'}`,
    ].join('\n') + '\n',
  );
} finally {
  idle.kill();
  await product.stop();
  await Promise.all(forwarders.map((f) => f.stop()));
  await lab.stop();
  await rm(workDir, { recursive: true, force: true });
}

async function status(pid: number | null): Promise<{ rssKiB: number; hwmKiB: number; anonKiB: number; fileKiB: number }> {
  if (pid === null) return { rssKiB: 0, hwmKiB: 0, anonKiB: 0, fileKiB: 0 };
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM'), anonKiB: field('RssAnon'), fileKiB: field('RssFile') };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Results the agent reported as delivered ("batch delivered" lines at debug level). */
function delivered(output: string): number {
  let total = 0;
  for (const line of output.split('\n')) {
    if (line.includes('"msg":"batch delivered"')) total += (JSON.parse(line) as { results: number }).results;
  }
  return total;
}

/**
 * What an agent leaves after a long outage: `count` results for the vantage's
 * mirrors, oldest first, a 10 s cycle of light probes apart, shaped as the
 * probe engine writes them (a healthy light probe with its manifest).
 */
async function writeSpool(spoolPath: string, origin: string, token: string, count: number): Promise<void> {
  const reply = await fetch(`${origin}/api/agent/config`, { headers: { authorization: `Bearer ${token}` } });
  const config = (await reply.json()) as AgentConfigDto;
  const lines: string[] = [];
  const start = Date.now() - Math.ceil(count / config.mirrors.length) * INTERVAL_S * 1000;
  for (let n = 0; n < count; n++) {
    const mirror = config.mirrors[n % config.mirrors.length];
    if (!mirror) throw new Error('the server configured no mirrors for the agent');
    const result: AgentResultDto = {
      id: randomUUID(),
      mirrorId: mirror.id,
      repository: mirror.repository,
      kind: 'light',
      startedAt: new Date(start + Math.floor(n / config.mirrors.length) * INTERVAL_S * 1000).toISOString(),
      durationMs: 41 + (n % 17),
      ok: true,
      failureClass: null,
      failedPhase: null,
      detail: null,
      httpStatus: 200,
      timings: {
        dnsMs: null,
        connectMs: 1,
        tlsMs: null,
        pingTtfbMs: 3,
        tokenMs: null,
        manifestMs: 12,
        blobTtfbMs: null,
        blobTransferMs: null,
      },
      manifest: {
        repository: mirror.repository,
        reference: mirror.reference,
        digest: `sha256:${'ab'.repeat(32)}`,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        platformDigest: `sha256:${'cd'.repeat(32)}`,
      },
      blob: null,
      retryAfterSeconds: null,
    };
    lines.push(JSON.stringify(result));
  }
  await writeFile(spoolPath, lines.map((line) => `${line}\n`).join(''));
}
