/** What one real client lived through when pulling from one mirror. */
export interface ClientOutcome {
  /** The pull succeeded: exit status 0 within the deadline. */
  usable: boolean;
  exitCode: number | null;
  /** Our deadline killed the client while it was still waiting. */
  killed: boolean;
  durationMs: number;
  /** The client's own last error message, as a user would read it (null on success). */
  reason: string | null;
}

/** A client that could not be run here (binary missing outside CI). */
export interface ClientSkipped {
  skipped: string;
}

/** ctr draws its progress bars with ANSI colour codes. */
const ANSI_ESCAPE = /\u001b\[[0-9;]*[A-Za-z]/g;

/** Splits client output into lines, turning progress-bar carriage returns into line breaks. */
export function outputLines(text: string): string[] {
  return text
    .replace(ANSI_ESCAPE, '')
    .split(/[\r\n]+/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * Removes what changes from run to run (ports, temp paths, digests) so the
 * committed table only changes when behaviour does.
 */
export function stableText(text: string): string {
  return text
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
    .replace(/sha256:([0-9a-f]{8})[0-9a-f]{56}/g, 'sha256:$1…')
    .replace(/\/tmp\/[^\s"':]+/g, '/tmp/…');
}
