/**
 * The image every light probe pulls, as `docker pull alpine` would through a
 * mirror: the most pulled base image, small, and a multi-platform index.
 */
export const PROBED_REPOSITORY = 'library/alpine';
export const PROBED_REFERENCE = 'latest';
/** The probed image as one key (stored freshness references are per image). */
export const PROBED_IMAGE = `${PROBED_REPOSITORY}:${PROBED_REFERENCE}`;
