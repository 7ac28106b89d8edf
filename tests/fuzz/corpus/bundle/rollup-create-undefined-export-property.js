//- main.js
export let foo;
export let bar, quux = 3, baz;
export function defineFooBar() {
	foo = 'defined';
	bar = 'defined';
}
