//- main.js
export {default} from './lib1.js';
//- lib1.js
import './lib2.js';

export default () => {
	const lib2 = 1;
	return import('./lib2.js').then(ns => ns.foo + lib2);
};
//- lib2.js
import './lib1.js';

export const foo = 42;
