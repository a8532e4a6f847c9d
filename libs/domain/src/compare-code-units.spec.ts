import { describe, expect, it } from 'vitest';
import { byCodeUnits } from './compare-code-units.js';

describe('byCodeUnits', () => {
  it('orders by code unit, not by locale: capitals before lower case, digits before letters, a prefix first', () => {
    expect(['b', 'B', 'a', '10', '9', 'ab', 'a-b'].sort(byCodeUnits)).toEqual(['10', '9', 'B', 'a', 'a-b', 'ab', 'b']);
  });

  it('is zero only for equal strings and antisymmetric', () => {
    expect(byCodeUnits('mirror-1', 'mirror-1')).toBe(0);
    expect(byCodeUnits('mirror-1', 'mirror-2')).toBe(-1);
    expect(byCodeUnits('mirror-2', 'mirror-1')).toBe(1);
  });
});
