// The exclusive upper bound of the keys that start with a prefix, for backends that compare keys
// in Unicode code point order (SQLite's BINARY collation on UTF-8 text, etcd's byte order).
//
// Incrementing the last code point works because a key K >= P and < P' (P with its last code
// point c raised to c+1) must agree with P on everything before c and hold exactly c there,
// so K starts with P. Example: prefix '/registry/pods/' -> '/registry/pods0' ('/' + 1 = '0').

const MAX_CODE_POINT = 0x10ffff;
const SURROGATE_START = 0xd800;
const SURROGATE_END = 0xdfff;

/** Undefined when no bound exists (empty prefix, or only U+10FFFF code points). */
export function prefixRangeEnd(prefix: string): string | undefined {
  const codePoints = Array.from(prefix, (ch) => ch.codePointAt(0) as number);
  while (codePoints.length > 0) {
    const last = codePoints.pop() as number;
    if (last === MAX_CODE_POINT) continue;
    // Lone surrogates cannot be stored as UTF-8; skip over the whole block.
    const next = last + 1 === SURROGATE_START ? SURROGATE_END + 1 : last + 1;
    codePoints.push(next);
    return String.fromCodePoint(...codePoints);
  }
  return undefined;
}
