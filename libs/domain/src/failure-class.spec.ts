import { describe, expect, it } from 'vitest';
import { FAILURE_CLASSES, isFailureClass } from './failure-class.js';

describe('isFailureClass', () => {
  it.each(FAILURE_CLASSES)('accepts %s', (failureClass) => {
    expect(isFailureClass(failureClass)).toBe(true);
  });
  it.each(['', 'DNS', 'timeout ', 42, null])('rejects %s', (value) => {
    expect(isFailureClass(value)).toBe(false);
  });
});
