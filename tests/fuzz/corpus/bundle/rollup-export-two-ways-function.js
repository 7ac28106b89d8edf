//- main.js
var bar;
bar = foo;

function foo () {
	return 42;
}

export { foo, bar };
