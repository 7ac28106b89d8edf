// Constants other modules import: short literals are read in place when minifying.
export const ZERO = 0, HALF = 0.5, K = 1000, S = 'a';
// Longer literals: read in place where their reads are few for their length (`LONG`, and
// `ONCE_VIA_NAMESPACE` through `shapes.mjs`'s namespace, read once; `BIG`, five digits
// read twice); declared once and read by name where they are read more often (`TWICE`,
// `ONE_ITEM_TWICE`, `TWICE_VIA_NAMESPACE`).
export const LONG = 'a long string', BIG = 12345;
export const TWICE = 'read by two items', ONE_ITEM_TWICE = 'read twice by one item';
export const ONCE_VIA_NAMESPACE = 'read once through a namespace';
export const TWICE_VIA_NAMESPACE = 'read twice through a namespace';
// A `let` nothing assigns is a constant too; a negative number is not a literal.
export let SEVEN = 7;
export const NEG = -1;
// Assigned: read by name, live.
export let counter = 0;
export function bump() {
  counter++;
}
