import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFakeImage, fakeRegistry, startServer, type TestServer } from '@mirrorwatch/probe/testing';
import { ProbeEngineThread } from './probe-engine-thread.js';

/** The thread runs compiled code, as in the product: apps/api/dist (npm run build). */
const WORKER = new URL('../../../dist/probing/engine-thread/probe-engine.worker.js', import.meta.url);

describe('ProbeEngineThread against a registry on loopback', () => {
  const image = buildFakeImage();
  let registry: TestServer;
  let hanging: TestServer;
  const engine = new ProbeEngineThread(WORKER);

  beforeAll(async () => {
    if (!existsSync(fileURLToPath(WORKER))) throw new Error(`${fileURLToPath(WORKER)} is missing: run npm run build first`);
    registry = await startServer(fakeRegistry({ image }));
    // Accepts the connection and never answers /v2/.
    hanging = await startServer(() => undefined);
  });

  afterAll(async () => {
    await engine.stop();
    await Promise.all([registry?.close(), hanging?.close()]);
  });

  it('probes on its own thread and hands back the full result, timings included', async () => {
    const result = await engine.probe({ url: registry.url }, { kind: 'light' });
    expect(result).toMatchObject({ ok: true, kind: 'light', failureClass: null });
    expect(result.startedAt).toBeInstanceOf(Date);
    expect(result.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(result.manifest?.digest).toMatch(/^sha256:/);
  });

  it('answers many concurrent probes, each with its own result', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        engine.probe({ url: i % 2 ? registry.url : `${registry.url.replace(/:\d+$/, ':1')}` }, { kind: 'light' }),
      ),
    );
    expect(results.map((r) => r.ok)).toEqual(Array.from({ length: 12 }, (_, i) => i % 2 === 1));
  });

  it('aborts a probe in flight when its signal fires', async () => {
    const abort = new AbortController();
    const pending = engine.probe({ url: hanging.url }, { kind: 'light', signal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    const result = await pending;
    expect(result.ok).toBe(false);
    // The caller's abort, not the engine's own deadline, ended it.
    expect(result.detail).toMatch(/aborted by caller/);
  });

  it('holds a probe handed over early until its start time, on the engine thread', async () => {
    const startAt = Date.now() + 300;
    const result = await engine.probe({ url: registry.url }, { kind: 'light' }, startAt);
    expect(result?.ok).toBe(true);
    expect(result?.startedAt.getTime()).toBeGreaterThanOrEqual(startAt);
  });

  it('cancels a probe waiting for its start time when its signal fires: no result, as nothing was sent', async () => {
    const abort = new AbortController();
    const pending = engine.probe({ url: registry.url }, { kind: 'light', signal: abort.signal }, Date.now() + 600_000);
    abort.abort();
    expect(await pending).toBeNull();
    // The thread carries on with the next probe.
    expect((await engine.probe({ url: registry.url }, { kind: 'light' }, Date.now()))?.ok).toBe(true);
  });

  it('does not hand over a scheduled probe whose signal has already fired', async () => {
    const abort = new AbortController();
    abort.abort();
    expect(await engine.probe({ url: registry.url }, { kind: 'light', signal: abort.signal }, Date.now())).toBeNull();
  });

  it('fails the probes in flight when the thread stops, and starts a new thread for the next one', async () => {
    const failed = expect(engine.probe({ url: hanging.url }, { kind: 'light' })).rejects.toThrow(/probe engine thread exited/);
    await engine.stop();
    await failed;
    expect((await engine.probe({ url: registry.url }, { kind: 'light' })).ok).toBe(true);
  });
});
