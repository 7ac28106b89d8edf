// Constants other modules import: short literals are read in place when minifying.
export const ZERO = 0, HALF = 0.5, K = 1000, S = 'a';
// Too long to read in place: declared once, read by name.
export const LONG = 'a long string', BIG = 12345;
// A `let` nothing assigns is a constant too; a negative number is not a literal.
export let SEVEN = 7;
export const NEG = -1;
// Assigned: read by name, live.
export let counter = 0;
export function bump() {
  counter++;
}
