/** A mirror URL handed to a renderer that dockerd (and so every export) would reject. */
export class InvalidMirrorError extends Error {
  override readonly name = 'InvalidMirrorError';
  constructor(
    /** 0-based position in the list given to the renderer. */
    readonly index: number,
    readonly input: string,
    readonly reason: string,
  ) {
    super(`mirror ${index + 1} (${JSON.stringify(input)}): ${reason}`);
  }
}

/** The daemon.json given to merge into is not a JSON object; nothing is written over it. */
export class DaemonJsonError extends Error {
  override readonly name = 'DaemonJsonError';
  constructor(
    readonly reason: string,
    /** 1-based line and column of the syntax error; null when the JSON is valid but not an object. */
    readonly line: number | null,
    readonly column: number | null,
  ) {
    super(line === null ? `daemon.json: ${reason}` : `daemon.json: line ${line}, column ${column}: ${reason}`);
  }
}

export type ProxyField = 'httpProxy' | 'httpsProxy' | 'noProxy';

/** An HTTP proxy setting that cannot go into a systemd unit safely. */
export class ProxyConfigError extends Error {
  override readonly name = 'ProxyConfigError';
  constructor(
    readonly field: ProxyField | null,
    readonly reason: string,
  ) {
    super(field === null ? reason : `${field}: ${reason}`);
  }
}

/** A value for the install script (other than mirrors) that is not safe to embed. */
export class InstallScriptError extends Error {
  override readonly name = 'InstallScriptError';
  constructor(
    readonly field: 'serverUrl' | 'mirrors',
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** The daemon.json given to merge into is larger than any real one; refused before it is read. */
export class DaemonJsonTooLargeError extends Error {
  override readonly name = 'DaemonJsonTooLargeError';
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`daemon.json: ${size} characters is more than the ${limit} accepted`);
  }
}
