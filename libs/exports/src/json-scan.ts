/**
 * A strict RFC 8259 scanner that never recurses: nesting is an explicit stack
 * bounded by `maxDepth`, so a body of 100,000 `[` characters is a clean
 * "too deep" error at a line and column, not a stack overflow. Besides
 * validating, it records where each member of a top-level object starts and
 * ends, so a merge can copy the members it keeps byte for byte.
 */
export interface JsonScanFailure {
  ok: false;
  /** 0-based offset in the text where it stops being acceptable. */
  offset: number;
  reason: string;
}

/** One `"key": value` of the top-level object, as offsets into the text. */
export interface TopLevelMember {
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

export interface JsonScanSuccess {
  ok: true;
  /** Null when the top-level value is not an object. */
  members: TopLevelMember[] | null;
  /** Deepest nesting seen (a scalar is 0, `{}` is 1). */
  depth: number;
}

export type JsonScanResult = JsonScanSuccess | JsonScanFailure;

type Mode = 'value' | 'firstArrayValue' | 'arrayValueAfterComma' | 'firstKey' | 'key' | 'afterValue';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

class Stop {
  constructor(readonly failure: JsonScanFailure) {}
}

export function scanJson(text: string, maxDepth: number): JsonScanResult {
  let i = 0;
  let mode = 'value' as Mode;
  let deepest = 0;
  const stack: ('{' | '[')[] = [];
  let topIsObject = false;
  const members: TopLevelMember[] = [];
  let pending: Partial<TopLevelMember> | null = null;

  const fail = (reason: string, at = i): never => {
    throw new Stop({ ok: false, offset: at, reason });
  };
  const describe = () => (i >= text.length ? 'unexpected end of input' : `unexpected ${JSON.stringify(text[i])}`);
  const skipWhitespace = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else return;
    }
  };
  const inTopLevelObject = () => topIsObject && stack.length === 1;
  const valueDone = () => {
    mode = 'afterValue';
    if (pending !== null && inTopLevelObject()) {
      members.push({ ...(pending as TopLevelMember), valueEnd: i });
      pending = null;
    }
  };
  const open = (bracket: '{' | '[') => {
    if (stack.length >= maxDepth) fail(`nesting deeper than ${maxDepth} levels`);
    if (stack.length === 0 && bracket === '{') topIsObject = true;
    stack.push(bracket);
    deepest = Math.max(deepest, stack.length);
    i++;
    mode = bracket === '{' ? 'firstKey' : 'firstArrayValue';
  };
  const close = () => {
    stack.pop();
    i++;
    valueDone();
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c === 0x5c) {
        const e = text[i + 1];
        HEX4.lastIndex = i + 2;
        if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u' && HEX4.test(text)) i += 6;
        else fail('invalid escape in string');
      } else if (c < 0x20) fail('control character in string (a raw newline or tab?)');
      else i++;
    }
    fail('unterminated string');
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(describe());
  };
  const scalar = (c: string | undefined) => {
    if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) fail(describe());
      i = NUMBER.lastIndex;
    } else fail(describe());
  };

  try {
    for (;;) {
      skipWhitespace();
      const c = text[i];
      switch (mode) {
        case 'firstArrayValue':
          if (c === ']') close();
          else mode = 'value';
          break;
        case 'arrayValueAfterComma':
          if (c === ']') fail('trailing comma before "]"');
          mode = 'value';
          break;
        case 'firstKey':
          if (c === '}') close();
          else mode = 'key';
          break;
        case 'key': {
          if (c !== '"') fail(c === '}' ? 'trailing comma before "}"' : `expected a quoted key, ${describe()}`);
          const keyStart = i;
          string();
          const keyEnd = i;
          skipWhitespace();
          if (text[i] !== ':') fail(`expected ":" after the key, ${describe()}`);
          i++;
          skipWhitespace();
          if (inTopLevelObject()) pending = { keyStart, keyEnd, valueStart: i };
          mode = 'value';
          break;
        }
        case 'value':
          if (c === '{' || c === '[') open(c);
          else {
            scalar(c);
            valueDone();
          }
          break;
        case 'afterValue': {
          const top = stack[stack.length - 1];
          if (top === undefined) {
            if (i < text.length) fail(`unexpected ${JSON.stringify(text[i])} after the end of the JSON value`);
            return { ok: true, members: topIsObject ? members : null, depth: deepest };
          }
          const closer = top === '{' ? '}' : ']';
          if (c === ',') {
            i++;
            mode = top === '{' ? 'key' : 'arrayValueAfterComma';
          } else if (c === closer) close();
          else fail(`expected "," or "${closer}", ${describe()}`);
          break;
        }
      }
    }
  } catch (error) {
    if (error instanceof Stop) return error.failure;
    throw error;
  }
}
