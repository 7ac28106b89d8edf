import { add } from './math.mjs';
// Used twice here: the compressor leaves it a binding.
export const version = ['v1'];
export const api = { add, version };
export const current = version;
