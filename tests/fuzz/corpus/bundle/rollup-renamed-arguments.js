//- main.js
import foo from './foo';
import bar from './bar';

export {
	foo,
	bar
};
//- bar.js
function thing ( thing ) {
	return thing;
}

export default thing;
//- foo.js
function thing () {
	return 42;
}

export default thing;
