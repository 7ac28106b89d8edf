import * as C from './constants.mjs';
export const viaNamespace = [C.K, C.S, C.ZERO.toFixed(1), C.ONCE_VIA_NAMESPACE];
export const twiceViaNamespace = [C.TWICE_VIA_NAMESPACE, C.TWICE_VIA_NAMESPACE.length];
