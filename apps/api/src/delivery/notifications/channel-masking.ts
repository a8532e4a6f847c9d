/** What a masked credential reads as in admin responses. */
export const MASK = '***';

/**
 * Query parameters that authenticate a hook: DingTalk `access_token`, WeCom
 * `key`, and the usual names generic webhooks use for tokens and signatures.
 */
const SECRET_QUERY_PARAMETERS = new Set([
  'access_token',
  'key',
  'token',
  'secret',
  'sign',
  'signature',
  'sig',
  'apikey',
  'api_key',
  'auth',
  'code',
  'password',
]);

/**
 * Path-borne hook credentials, as `prefix` + masked part (+ kept suffix):
 * Feishu/Lark bot hooks (`/open-apis/bot/v2/hook/<uuid>`), Slack incoming
 * webhooks and workflow triggers (`/services/T…/B…/<secret>`, `/triggers/…`),
 * Discord-style `/api/webhooks/<id>/<token>`, Telegram bots
 * (`/bot<id>:<token>/sendMessage`), Microsoft Teams connectors
 * (`/webhookb2/<ids>/IncomingWebhook/<id>/<id>`) and Power Automate /
 * Logic Apps workflows (`/workflows/<id>/…`). Whoever has the URL can post.
 */
const SECRET_PATHS: RegExp[] = [
  /^(\/open-apis\/bot\/v2\/hook\/).+()$/,
  /^(\/services\/).+()$/,
  /^(\/triggers\/).+()$/,
  /^(\/api\/webhooks\/[^/]+\/).+()$/,
  /^(\/bot)[^/]+(\/[^/]*)?$/,
  /^(\/webhookb2\/).+()$/,
  /^(\/workflows\/).+()$/,
];

/**
 * Any other path segment that looks like a generated credential: long, and
 * mixing letters with digits (UUIDs, random keys). Words and short ids stay.
 */
const TOKEN_LIKE_SEGMENT = /^(?=[^/]*[0-9])(?=[^/]*[A-Za-z])[A-Za-z0-9._~:@=+-]{20,}$/;

function maskPath(pathname: string): string {
  for (const pattern of SECRET_PATHS) {
    const match = pattern.exec(pathname);
    if (match) return `${match[1]}${MASK}${match[2] ?? ''}`;
  }
  return pathname
    .split('/')
    .map((segment) => (TOKEN_LIKE_SEGMENT.test(decodeSegment(segment)) ? MASK : segment))
    .join('/');
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * A hook URL fit to show: credentials in the query, the path or the userinfo
 * replaced with `***`. Everything else (host, path, harmless parameters) stays,
 * so an admin can still tell channels apart. A value that is not a URL is
 * masked whole rather than echoed.
 */
export function maskChannelUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return MASK;
  }
  if (url.password) url.password = MASK;
  if (url.username && url.password === '') url.username = MASK;
  url.pathname = maskPath(url.pathname);
  const masked = new URLSearchParams();
  for (const [name, value] of url.searchParams) masked.append(name, SECRET_QUERY_PARAMETERS.has(name.toLowerCase()) ? MASK : value);
  url.search = masked.toString();
  // URLSearchParams leaves `*` as is, so the mask reads the same in the query.
  return url.toString();
}

/** `***` when a secret is set, null when not: the admin sees whether one exists, never its value. */
export function maskSecret(secret: string | undefined | null): string | null {
  return secret ? MASK : null;
}
