export interface CatalogErrorLocation {
  /** The catalog file (or other source label) the problem is in. */
  source: string;
  /** 1-based position of the entry in the list, as a person counts in the file. */
  entryNumber?: number;
  entryName?: string;
  /** The entry's key at fault (`url`, `visibility`, ...). */
  field?: string;
  /** 1-based line in the source text, when known. */
  line?: number;
}

/**
 * The one error a catalog can raise. Its message is meant to be read by the
 * person who edits the file, so it always names the file, and when it applies
 * the entry (number and name) and the key:
 * `config/mirrors.yaml: entry 3 ("foo"): url: path "/v2" is not allowed; ...`.
 */
export class CatalogError extends Error {
  override readonly name = 'CatalogError';
  readonly source: string;
  readonly entryNumber: number | null;
  readonly entryName: string | null;
  readonly field: string | null;
  readonly line: number | null;
  readonly reason: string;

  constructor(location: CatalogErrorLocation, reason: string, options?: { cause?: unknown }) {
    super(formatMessage(location, reason), options);
    this.source = location.source;
    this.entryNumber = location.entryNumber ?? null;
    this.entryName = location.entryName ?? null;
    this.field = location.field ?? null;
    this.line = location.line ?? null;
    this.reason = reason;
  }
}

function formatMessage(location: CatalogErrorLocation, reason: string): string {
  const parts = [location.source];
  if (location.entryNumber !== undefined) {
    const name = location.entryName === undefined ? '' : ` (${JSON.stringify(location.entryName)})`;
    // The line stays out of an entry's message (it is on `.line`): the entry
    // number and name already point at it, and the format is relied upon.
    parts.push(`entry ${location.entryNumber}${name}`);
  } else if (location.line !== undefined) {
    parts.push(`line ${location.line}`);
  }
  if (location.field !== undefined) parts.push(location.field);
  return `${parts.join(': ')}: ${reason}`;
}
