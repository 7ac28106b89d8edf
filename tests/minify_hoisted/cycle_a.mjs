// In a cycle: `cycle_b.mjs` runs first and calls `limit` before `LIMIT` is set.
import { early } from './cycle_b.mjs';

var LIMIT = 3;

export function limit() {
  return LIMIT;
}
export { early };
