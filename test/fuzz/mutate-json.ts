// A fast-check arbitrary that mutates a real JSON document at one or more places (replace a value with
// any JSON, delete a key or element, change a value's type). Real payloads mutated a little reach far
// deeper into a parser than random JSON, which a schema refuses at the first level.

import fc from 'fast-check';

type Json = unknown;
type Path = Array<string | number>;

function pathsOf(value: Json, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => out.push(...pathsOf(item, [...prefix, index])));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) out.push(...pathsOf(item, [...prefix, key]));
  return out;
}

type Mutation = { at: number; op: 'replace' | 'delete' | 'stringify' | 'wrap'; value: Json };

function apply(document: Json, mutation: Mutation): Json {
  const paths = pathsOf(document);
  const path = paths[mutation.at % paths.length]!;
  // undefined (a deleted value) is part of unknown: the caller removes the key or element.
  const replaceWith = (old: Json): Json => {
    switch (mutation.op) {
      case 'replace':
        return mutation.value;
      case 'delete':
        return undefined;
      case 'stringify':
        return typeof old === 'string' ? Number(old) : JSON.stringify(old);
      case 'wrap':
        return [old];
    }
  };
  if (path.length === 0) return replaceWith(document) ?? null;
  const copy = structuredClone(document) as Record<string | number, Json>;
  let parent: Record<string | number, Json> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  const next = replaceWith(parent[last]);
  if (next === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = next;
  return copy;
}

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'delete', 'stringify', 'wrap'),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('', 0, -1, 1e300, null, '__proto__', 'constructor', '\u0000', '{{1}}', [], {})),
});

/** One of `documents`, mutated 1–4 times. */
export function mutatedJson(documents: readonly Json[]): fc.Arbitrary<Json> {
  return fc.tuple(fc.constantFrom(...documents), fc.array(mutationArbitrary, { minLength: 1, maxLength: 4 }))
    .map(([document, mutations]) => mutations.reduce<Json>((current, mutation) => apply(current, mutation), document));
}
