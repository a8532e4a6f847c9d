import { RECOMMENDED_COUNT_MAX, RECOMMENDED_COUNT_MIN } from '@mirrorwatch/api-types';

/** The `count` parameter every public export takes, as documented in OpenAPI. */
export const COUNT_QUERY = {
  name: 'count',
  required: false,
  description: `mirrors to include (${RECOMMENDED_COUNT_MIN}-${RECOMMENDED_COUNT_MAX}); default: the recommended length (X-Mirrorwatch-Recommended-Count), where one more mirror no longer pays for itself`,
  type: Number,
};
