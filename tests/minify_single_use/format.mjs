import { record } from './log.mjs';
function buildFormat(width) {
  record(`built ${width}`);
  return () => width;
}
// A value that runs code, with only `match` running between it and its read: `match` moves
// to a later read of the same object, so both move, and still run in this order.
export const formatLong = { date: buildFormat('long') };
