import fc from 'fast-check';
import type { Operation, SchemaFragment } from './openapi-operations.js';

export interface FuzzRequest {
  operation: string;
  method: string;
  /** Path and query, already encoded. */
  target: string;
  headers: Record<string, string>;
  body: string | null;
}

/** Inputs that broke parsers before, or break them often: kept in every run besides random ones. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\t',
  '0',
  '-1',
  '1e309',
  'NaN',
  'Infinity',
  '9'.repeat(400),
  'null',
  'true',
  '[]',
  '{}',
  '[',
  '{',
  '"',
  '%',
  '%00',
  '%2F',
  '..',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'toString',
  '\u0000',
  '\ud800',
  '😀',
  '状态',
  'a'.repeat(5000),
  '/\t/evil.example',
  'http://127.0.0.1:9/',
  'https://localhost:1',
  'file:///etc/passwd',
  'private-0123456789abcdef',
];

/** URLs the fuzzer may put in a body: loopback ports nobody listens on, or not URLs at all. Nothing leaves the machine. */
const SAFE_URLS = [
  'http://127.0.0.1:9',
  'https://127.0.0.1:1',
  'http://localhost:9/hook',
  'https://[::1]:9',
  'http://127.0.0.1:9/path?q=1',
  'ftp://127.0.0.1',
  'http://',
  'http://user:pw@127.0.0.1:9',
];

const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
);

function valueFor(schema: SchemaFragment | undefined, depth = 0): fc.Arbitrary<unknown> {
  const anything = fc.oneof(fc.jsonValue({ maxDepth: 3 }), nastyString);
  if (!schema || depth > 4) return anything;
  const fitting: fc.Arbitrary<unknown>[] = [];
  if (schema.enum) fitting.push(fc.constantFrom(...schema.enum));
  if (schema.type === 'string') fitting.push(nastyString, fc.constantFrom(...SAFE_URLS));
  if (schema.type === 'number' || schema.type === 'integer') fitting.push(fc.integer({ min: -5, max: 20 }), fc.double(), fc.integer());
  if (schema.type === 'boolean') fitting.push(fc.boolean());
  if (schema.type === 'array') fitting.push(fc.array(valueFor(schema.items, depth + 1), { maxLength: 5 }));
  if (schema.type === 'object' || schema.properties) fitting.push(objectFor(schema, depth));
  if (schema.nullable) fitting.push(fc.constant(null));
  return fitting.length === 0 ? anything : fc.oneof({ weight: 4, arbitrary: fc.oneof(...fitting) }, { weight: 1, arbitrary: anything });
}

function objectFor(schema: SchemaFragment, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const known = Object.entries(schema.properties ?? {}).map(([key, property]) => [key, valueFor(property, depth + 1)] as const);
  const knownPart = fc.record(Object.fromEntries(known), { requiredKeys: [] });
  const extra = fc.dictionary(
    fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'url', 'id')),
    fc.jsonValue({ maxDepth: 2 }),
    { maxKeys: 2 },
  );
  return fc
    .tuple(knownPart, fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: extra }))
    .map(([a, b]) => ({ ...b, ...a }) as Record<string, unknown>);
}

/** Bodies aimed at the parsers rather than the schema: deep nesting, huge, truncated, wrong type. */
const RAW_BODIES = fc.oneof(
  fc.integer({ min: 1, max: 70_000 }).map((n) => '['.repeat(n)),
  fc.integer({ min: 1, max: 5_000 }).map((n) => `{"a":${'['.repeat(n)}${']'.repeat(n)}}`),
  fc.integer({ min: 1, max: 3_000 }).map((n) => `{${Array.from({ length: n }, (_, i) => `"k${i}":[[[[1e20]]]]`).join(',')}}`),
  fc.constantFrom('', '{', '{"a":', 'null', '[]', '"x"', '\uFEFF{}', '{"registry-mirrors":1}', 'x'.repeat(300_000)),
  fc.string({ maxLength: 200 }),
);

const QUERY_NAMES = ['count', 'limit', 'window', 'open', 'mirrorId', 'failuresOnly', 'httpProxy', 'httpsProxy', 'noProxy', 'vantage'];

function queryFor(operation: Operation): fc.Arbitrary<string> {
  const declared = operation.query.map((q) =>
    fc.tuple(fc.constant(q.name), fc.oneof(valueFor(q.schema).map(String), fc.array(nastyString, { minLength: 2, maxLength: 3 }))),
  );
  const extra = fc.tuple(
    fc.oneof(fc.constantFrom(...QUERY_NAMES), fc.string({ maxLength: 8 })),
    fc.oneof(nastyString, fc.array(nastyString, { minLength: 2, maxLength: 3 })),
  );
  return fc.array(fc.oneof(...declared, extra), { maxLength: 4 }).map((pairs) => {
    const search = new URLSearchParams();
    for (const [name, value] of pairs) for (const v of Array.isArray(value) ? value : [value]) search.append(name, String(v));
    const text = search.toString();
    return text === '' ? '' : `?${text}`;
  });
}

/** encodeURIComponent, except that a lone surrogate becomes the bytes of one (invalid UTF-8 the server must refuse cleanly). */
function encodePathSegment(value: string): string {
  return value.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[^\ud800-\udfff]+|[\ud800-\udbff][\udc00-\udfff]/g,
    (part) => (part.length === 1 && part.charCodeAt(0) >= 0xd800 && part.charCodeAt(0) <= 0xdfff ? '%ED%A0%80' : encodeURIComponent(part)),
  );
}

export function requestArbitrary(operations: Operation[], knownIds: string[], adminToken: string): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...operations).chain((operation) => {
    const pathValues = fc.tuple(
      ...operation.pathParams.map(() =>
        fc.oneof(
          { weight: 2, arbitrary: fc.constantFrom(...knownIds, 'daemon-json', 'install-sh', 'http-proxy-conf', 'containerd-hosts-toml') },
          { weight: 3, arbitrary: nastyString.map(encodePathSegment) },
          { weight: 1, arbitrary: fc.constantFrom('..%2F..', '%2e%2e', 'a%00b', 'x.svg', '%E0%A4%A') },
        ),
      ),
    );
    const auth = fc.oneof(
      { weight: operation.admin ? 5 : 1, arbitrary: fc.constant({ Authorization: `Bearer ${adminToken}` }) },
      { weight: 1, arbitrary: fc.constant({}) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          { Authorization: 'Bearer wrong-token-0123456789' },
          { Authorization: 'Basic Zm9vOmJhcg==' },
          { Authorization: 'Bearer ' },
          { Authorization: `Bearer ${'x'.repeat(4000)}` },
        ),
      },
    );
    const contentType = fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      'multipart/form-data',
      'application/octet-stream',
    );
    const body: fc.Arbitrary<string | null> =
      operation.method === 'GET'
        ? fc.constant(null) // fetch sends no body with GET
        : operation.body === null
          ? fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: RAW_BODIES })
          : fc.oneof(
              { weight: 3, arbitrary: valueFor(operation.body).map((value) => JSON.stringify(value) ?? 'null') },
              { weight: 2, arbitrary: RAW_BODIES },
            );
    return fc
      .record({ pathValues, query: queryFor(operation), auth, contentType, body })
      .map(({ pathValues: values, query, auth: headers, contentType: type, body: text }) => {
        let path = operation.path;
        operation.pathParams.forEach((name, i) => (path = path.replace(`{${name}}`, String(values[i]))));
        return {
          operation: `${operation.method} ${operation.path}`,
          method: operation.method,
          target: `${path}${query}`,
          headers: { ...headers, ...(text === null ? {} : { 'Content-Type': type }) },
          body: text,
        };
      });
  });
}
