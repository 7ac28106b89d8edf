//- main.js
export default function foo () {
	return 42;
};
