//- main.js
export {count, incr, conflict} from './count';
//- count.js
export var count = 0;

export function conflict () {
	var foo = 0,
			count = 42;
}

export function incr () {
	count += 1;
}
