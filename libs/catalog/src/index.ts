export { normalizeMirrorUrl, mirrorIdFromUrl, mirrorIdFor, mirrorEndpoint, type NormalizeResult } from './mirror-url.js';
export { CatalogError, type CatalogErrorLocation } from './catalog-error.js';
export { parseCatalog } from './parse-catalog.js';
export { loadCatalogFile } from './load-catalog-file.js';
