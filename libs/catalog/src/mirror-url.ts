import { isIPv4, isIPv6 } from 'node:net';

export type NormalizeResult = { ok: true; url: string } | { ok: false; reason: string };

/** Said after every rejection so the reader knows what shape dockerd wants. */
const EXPECTED_SHAPE = 'dockerd accepts only scheme://host[:port]';

const DEFAULT_PORTS: Readonly<Record<string, string>> = { https: '443', http: '80' };

/**
 * Host names we accept: ASCII DNS labels (letters, digits, hyphens, plus the
 * underscore some internal zones use). Anything else (quotes, `$`, spaces,
 * non-ASCII) is refused: such a "host" is never a real mirror, and the URL ends
 * up in shell scripts, TOML and systemd files, so a tight alphabet is also our
 * injection guard.
 */
const DNS_LABEL = /^[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?$/;

/**
 * Validates and normalizes a registry mirror URL the way dockerd's
 * `ValidateMirror` (moby `registry/config.go`) does, and a little stricter:
 *
 * - a scheme is required and must be `http` or `https` (dockerd >= 28 refuses
 *   to start on "no scheme specified");
 * - the path must be empty or `/`: dockerd before v25 rejected any other path,
 *   and a Docker Hub mirror is always served at the root, so we keep the old,
 *   portable rule;
 * - no query, fragment or userinfo (dockerd rejects those too);
 * - the host is lower-cased and a default port (https :443, http :80) dropped,
 *   so two spellings of one mirror compare equal;
 * - no trailing slash (dockerd adds its own; `docker info` shows `.../`).
 */
export function normalizeMirrorUrl(input: string): NormalizeResult {
  const trimmed = input.trim();
  if (trimmed === '') return fail('the URL is empty');

  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(trimmed);
  if (!schemeMatch || schemeMatch[1] === undefined) {
    return fail(`no scheme in "${trimmed}": write https://${trimmed.replace(/^\/+/, '')} (or http://)`);
  }
  const scheme = schemeMatch[1].toLowerCase();
  if (scheme !== 'https' && scheme !== 'http') {
    return fail(`scheme "${scheme}" is not supported: a mirror must use https:// or http://`);
  }

  const rest = trimmed.slice(schemeMatch[0].length);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd === -1 ? '' : rest.slice(authorityEnd);

  const tailProblem = checkTail(tail);
  if (tailProblem) return fail(tailProblem);

  if (authority.includes('@')) {
    return fail(`credentials (user@) in the URL are not allowed; ${EXPECTED_SHAPE}`);
  }
  const hostPort = splitHostPort(authority);
  if (!hostPort.ok) return hostPort;

  const { host, port } = hostPort;
  const keepPort = port !== null && DEFAULT_PORTS[scheme] !== port;
  return { ok: true, url: `${scheme}://${host}${keepPort ? `:${port}` : ''}` };
}

/** Path, query and fragment: only an empty path or a single `/` may remain. */
function checkTail(tail: string): string | null {
  const queryAt = tail.indexOf('?');
  const fragmentAt = tail.indexOf('#');
  const pathEnd = Math.min(...[queryAt, fragmentAt, tail.length].filter((i) => i >= 0));
  const path = tail.slice(0, pathEnd);
  if (path !== '' && path !== '/') return `path "${path}" is not allowed; ${EXPECTED_SHAPE}`;
  if (queryAt !== -1 && (fragmentAt === -1 || queryAt < fragmentAt)) {
    const query = tail.slice(queryAt, fragmentAt > queryAt ? fragmentAt : undefined);
    return `query "${query}" is not allowed; ${EXPECTED_SHAPE}`;
  }
  if (fragmentAt !== -1) return `fragment "${tail.slice(fragmentAt)}" is not allowed; ${EXPECTED_SHAPE}`;
  return null;
}

type HostPort = { ok: true; host: string; port: string | null } | { ok: false; reason: string };

function splitHostPort(authority: string): HostPort {
  if (authority === '') return fail('the URL has no host');
  let host: string;
  let portText: string | null = null;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close === -1) return fail(`unterminated IPv6 address in "${authority}"`);
    const literal = authority.slice(1, close).toLowerCase();
    if (!isIPv6(literal)) return fail(`"${literal}" is not a valid IPv6 address`);
    host = `[${literal}]`;
    const after = authority.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) return fail(`unexpected "${after}" after the IPv6 address`);
      portText = after.slice(1);
    }
  } else {
    const colon = authority.indexOf(':');
    host = (colon === -1 ? authority : authority.slice(0, colon)).toLowerCase();
    if (colon !== -1) portText = authority.slice(colon + 1);
    const hostProblem = checkHostName(host);
    if (hostProblem) return fail(hostProblem);
  }
  if (portText === null) return { ok: true, host, port: null };
  if (!/^\d{1,5}$/.test(portText)) return fail(`port "${portText}" is not a number`);
  const port = Number(portText);
  if (port < 1 || port > 65535) return fail(`port ${port} is out of range (1-65535)`);
  return { ok: true, host, port: String(port) };
}

function checkHostName(host: string): string | null {
  if (host === '') return 'the URL has no host';
  if (isIPv4(host)) return null;
  if (/[^\x00-\x7f]/.test(host)) return `host "${host}" is not ASCII: use its punycode (xn--) form`;
  const labels = host.split('.');
  const bad = labels.find((label) => !DNS_LABEL.test(label));
  if (bad !== undefined) {
    return bad === ''
      ? `host "${host}" has an empty label (a leading, trailing or doubled dot)`
      : `host "${host}" is not a valid DNS name (letters, digits, '-' and '.' only)`;
  }
  return null;
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/**
 * A stable slug for a mirror, used in API paths, badges and metric labels:
 * host[:port] with every non-alphanumeric run turned into `-`
 * (`https://docker.m.daocloud.io` -> `docker-m-daocloud-io`,
 * `https://127.0.0.1:5001` -> `127-0-0-1-5001`). An `-http` suffix keeps the
 * plain-HTTP and HTTPS endpoints of one host apart: they are different mirrors
 * to dockerd. Throws on a URL `normalizeMirrorUrl` rejects.
 */
export function mirrorIdFromUrl(url: string): string {
  const normalized = normalizeMirrorUrl(url);
  if (!normalized.ok) throw new TypeError(`cannot derive a mirror id: ${normalized.reason}`);
  const [scheme, hostPort = ''] = normalized.url.split('://');
  const ipv6 = hostPort.startsWith('[');
  const slug = hostPort.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const base = ipv6 ? `ipv6-${slug}` : slug;
  return scheme === 'http' ? `${base}-http` : base;
}

/**
 * A mirror's id: the URL slug for a mirror served at the root (ids of
 * Docker Hub mirrors stay what they were), plus `--` and the prefix slug for
 * a path-prefix mirror, since one such host mirrors many upstreams
 * (`https://m.daocloud.io` + `registry.k8s.io` -> `m-daocloud-io--registry-k8s-io`).
 */
export function mirrorIdFor(url: string, pathPrefix: string | null | undefined): string {
  const base = mirrorIdFromUrl(url);
  if (!pathPrefix) return base;
  return `${base}--${pathPrefix.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`;
}

/** The address a client pulls through, as people write it: `https://m.daocloud.io/registry.k8s.io`. */
export function mirrorEndpoint(url: string, pathPrefix: string | null | undefined): string {
  return pathPrefix ? `${url}/${pathPrefix}` : url;
}
