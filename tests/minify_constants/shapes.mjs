import * as C from './constants.mjs';
export const viaNamespace = [C.K, C.S, C.ZERO.toFixed(1)];
