import { accessSync, constants } from 'node:fs';

/** Debian's `docker-registry` package (distribution 2.8.2) installs the server here. */
export const DEFAULT_REGISTRY_BINARY = '/usr/bin/docker-registry';

/** Lets a machine with the binary elsewhere point the lab at it. */
export function registryBinaryPath(): string {
  return process.env['MIRRORWATCH_REGISTRY_BINARY'] ?? DEFAULT_REGISTRY_BINARY;
}

export function registryBinaryAvailable(): boolean {
  try {
    accessSync(registryBinaryPath(), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Throws when the registry binary is missing. Integration tests call this
 * instead of skipping: a CI machine without the package must fail loudly, or
 * the lab-backed tests would silently stop testing anything.
 */
export function requireRegistryBinary(): string {
  const path = registryBinaryPath();
  if (!registryBinaryAvailable()) {
    throw new Error(
      `docker-registry not found or not executable at ${path}. ` +
        'Install it with `apt-get install -y docker-registry` (Debian, distribution 2.8.2) ' +
        'or set MIRRORWATCH_REGISTRY_BINARY to its path.',
    );
  }
  return path;
}
