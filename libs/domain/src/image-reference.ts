/**
 * A Docker Hub image as `docker pull` names it: `alpine:3.20` means
 * `library/alpine:3.20`, no tag means `latest`. Only Docker Hub names: mirrors
 * in `registry-mirrors` serve docker.io alone, so a registry host is refused.
 */
export interface ImageReference {
  /** Full repository path on Docker Hub, e.g. `library/alpine`, `bitnami/postgresql`. */
  repository: string;
  tag: string;
}

export type ImageReferenceParse = { ok: true; reference: ImageReference } | { ok: false; reason: string };

/** distribution/reference: path components are lowercase alphanumerics joined by `.`, `_`, `__` or dashes. */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/** distribution/reference: a tag is a word character then up to 127 of `\w.-`. */
const TAG = /^[\w][\w.-]{0,127}$/;
/** A first component that names a registry (`quay.io`, `host:5000`), as docker's reference parser decides. */
const REGISTRY_HOST = /^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?$|^[a-z0-9-]+:\d+$/i;
/** distribution's limit on a whole repository name. */
const MAX_REPOSITORY_LENGTH = 255;

export function parseImageReference(text: string): ImageReferenceParse {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, reason: 'is empty; expected repository[:tag], such as alpine:3.20 or bitnami/postgresql:16' };
  if (trimmed.includes('@')) return { ok: false, reason: 'must name a tag, not a digest (repository:tag)' };
  const lastSlash = trimmed.lastIndexOf('/');
  const colon = trimmed.indexOf(':', lastSlash + 1);
  const path = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const tag = colon < 0 ? 'latest' : trimmed.slice(colon + 1);
  const components = path.split('/');
  const first = components[0] ?? '';
  if (components.length > 1 && (REGISTRY_HOST.test(first) || first === 'localhost')) {
    return { ok: false, reason: `names the registry ${first}; only Docker Hub repositories are served by registry mirrors` };
  }
  if (!components.every((component) => PATH_COMPONENT.test(component))) {
    return { ok: false, reason: `repository "${path}" is not a valid name (lowercase letters, digits and . _ - separators)` };
  }
  if (!TAG.test(tag))
    return { ok: false, reason: `tag "${tag}" is not valid (letters, digits, _ . -, at most 128, not starting with . or -)` };
  const repository = components.length === 1 ? `library/${path}` : path;
  if (repository.length > MAX_REPOSITORY_LENGTH)
    return { ok: false, reason: `repository is longer than ${MAX_REPOSITORY_LENGTH} characters` };
  return { ok: true, reference: { repository, tag } };
}

export function formatImageReference(reference: ImageReference): string {
  return `${reference.repository}:${reference.tag}`;
}

/** Official images live under `library/` on Docker Hub. */
export function isLibraryImage(reference: ImageReference): boolean {
  return reference.repository.startsWith('library/');
}
