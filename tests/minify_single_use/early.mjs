import { record } from './log.mjs';
// A value that runs code, with code that runs between it and its read (`noisy.mjs`): kept,
// or the log would change order.
export const early = record('early value');
