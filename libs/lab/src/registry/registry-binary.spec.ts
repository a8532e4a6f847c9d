import { afterEach, describe, expect, it } from 'vitest';
import { registryBinaryAvailable, registryBinaryPath, requireRegistryBinary } from './registry-binary.js';

describe('registry binary lookup', () => {
  const saved = process.env['MIRRORWATCH_REGISTRY_BINARY'];
  afterEach(() => {
    if (saved === undefined) delete process.env['MIRRORWATCH_REGISTRY_BINARY'];
    else process.env['MIRRORWATCH_REGISTRY_BINARY'] = saved;
  });

  it('reports a missing binary and throws an error that says how to install it', () => {
    process.env['MIRRORWATCH_REGISTRY_BINARY'] = '/nonexistent/docker-registry';
    expect(registryBinaryPath()).toBe('/nonexistent/docker-registry');
    expect(registryBinaryAvailable()).toBe(false);
    expect(() => requireRegistryBinary()).toThrow(/not found.*\/nonexistent\/docker-registry.*apt-get install -y docker-registry/s);
  });

  it('accepts an executable file', () => {
    process.env['MIRRORWATCH_REGISTRY_BINARY'] = process.execPath;
    expect(registryBinaryAvailable()).toBe(true);
    expect(requireRegistryBinary()).toBe(process.execPath);
  });
});
