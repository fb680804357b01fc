import { expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

it('writes equal values identically whatever their key order, and keeps array order', () => {
  expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(canonicalJson({ a: { c: null, d: [2, 1] }, b: 1 }));
  expect(canonicalJson([{ b: 1 }, { a: 2 }])).toBe('[{"b":1},{"a":2}]');
  expect(canonicalJson({ a: 1, skip: undefined })).toBe('{"a":1}');
});
