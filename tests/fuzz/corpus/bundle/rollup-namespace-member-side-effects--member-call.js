//- main.js
import api from './api/index.js';
import { sideEffects } from './api/sideEffects';

api.namespace.sideEffectFunction();

assert.deepStrictEqual(sideEffects, ['fn called']);
//- api/index.js
import * as namespace from './namespace.js';

export default {
	namespace
};
//- api/namespace.js
import { sideEffects } from './sideEffects';

export function sideEffectFunction() {
	sideEffects.push('fn called');
}
//- api/sideEffects.js
export const sideEffects = [];
