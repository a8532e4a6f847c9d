/**
 * WWW-Authenticate parsing (RFC 9110 §11.6.1). Registries send
 * `Bearer realm="https://auth.docker.io/token",service="registry.docker.io"`,
 * but mirrors vary: unquoted values, commas inside quoted values, several
 * challenges in one header, lower-case schemes. Like docker/distribution's
 * challenge parser we are lenient about whitespace and strict about structure.
 */
export interface AuthChallenge {
  /** Scheme in lower case (`bearer`, `basic`). */
  scheme: string;
  /** Parameters with lower-case names. */
  params: Record<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

class Cursor {
  position = 0;
  constructor(readonly text: string) {}
  get done(): boolean {
    return this.position >= this.text.length;
  }
  peek(): string {
    return this.text[this.position] ?? '';
  }
  skipWhitespace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.position++;
  }
  skipSeparators(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',') this.position++;
  }
  readToken(): string {
    const start = this.position;
    while (!this.done && TOKEN_CHAR.test(this.peek())) this.position++;
    return this.text.slice(start, this.position);
  }
  readQuoted(): string {
    this.position++; // opening quote
    let value = '';
    while (!this.done && this.peek() !== '"') {
      if (this.peek() === '\\') this.position++;
      value += this.peek();
      this.position++;
    }
    this.position++; // closing quote (or end of text for an unterminated string)
    return value;
  }
  /** True when the text at the cursor is `name =`, i.e. a parameter rather than a new scheme. */
  atParameter(): boolean {
    const saved = this.position;
    const name = this.readToken();
    this.skipWhitespace();
    const isParameter = name.length > 0 && this.peek() === '=';
    this.position = saved;
    return isParameter;
  }
}

export function parseWwwAuthenticate(header: string | readonly string[] | null | undefined): AuthChallenge[] {
  if (header === null || header === undefined) return [];
  const headers = typeof header === 'string' ? [header] : header;
  return headers.flatMap(parseOneHeader);
}

function parseOneHeader(text: string): AuthChallenge[] {
  const cursor = new Cursor(text);
  const challenges: AuthChallenge[] = [];
  while (true) {
    cursor.skipSeparators();
    if (cursor.done) break;
    const scheme = cursor.readToken();
    if (scheme === '') break; // garbage: stop rather than loop forever
    const params: Record<string, string> = {};
    challenges.push({ scheme: scheme.toLowerCase(), params });
    cursor.skipWhitespace();
    while (true) {
      cursor.skipSeparators();
      if (cursor.done || !cursor.atParameter()) break;
      const name = cursor.readToken().toLowerCase();
      cursor.skipWhitespace();
      cursor.position++; // '='
      cursor.skipWhitespace();
      params[name] = cursor.peek() === '"' ? cursor.readQuoted() : readBareValue(cursor);
    }
  }
  return challenges;
}

/** Unquoted values: a token, but tolerate URL characters mirrors put there unquoted. */
function readBareValue(cursor: Cursor): string {
  const start = cursor.position;
  while (!cursor.done && cursor.peek() !== ',' && cursor.peek() !== ' ' && cursor.peek() !== '\t') cursor.position++;
  return cursor.text.slice(start, cursor.position);
}

/** The Bearer challenge dockerd would answer, or null. */
export function findBearerChallenge(challenges: readonly AuthChallenge[]): AuthChallenge | null {
  return challenges.find((challenge) => challenge.scheme === 'bearer') ?? null;
}
