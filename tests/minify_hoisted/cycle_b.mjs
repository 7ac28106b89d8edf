import { limit } from './cycle_a.mjs';

export const early = limit();
