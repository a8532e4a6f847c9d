import { describe, expect, it } from 'vitest';
import { preparedJsonOf } from './prepared-json.js';

describe('preparedJsonOf', () => {
  it('serialises an object once and gives the same bytes and ETag until the value is another object', () => {
    const generation1 = { mirrors: [{ id: 'a', status: 'up' }] };
    const first = preparedJsonOf(generation1);
    expect(JSON.parse(first.body.toString('utf8'))).toEqual(generation1);
    expect(preparedJsonOf(generation1)).toBe(first);
    const generation2 = { mirrors: [{ id: 'a', status: 'down' }] };
    expect(preparedJsonOf(generation2).etag).not.toBe(first.etag);
    // Equal content in a new object (a rebuild that changed nothing): the same validator, so clients still get 304s.
    expect(preparedJsonOf({ mirrors: [{ id: 'a', status: 'up' }] }).etag).toBe(first.etag);
  });
});
