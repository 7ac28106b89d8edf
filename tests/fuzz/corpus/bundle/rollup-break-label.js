//- main.js
export { n } from './module_1';
export { value } from './module_2';
import { n } from './module_2';

n();
//- module_1.js
export var n = 1;
//- module_2.js
export let value = 'original';

export function n() {
	n: if (value === 1) {
		break n;
		value = 'changed';
	}
}
