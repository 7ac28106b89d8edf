//- main.js
export const foo = {
	a: 1,
	b: { c: 2 }
};
