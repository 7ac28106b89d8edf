//- main.js
import foo from './foo';
import bar from './bar';
import baz from './baz';

export { bar };
//- bar.js
export default function bar () {
	return 'bar';
}
//- baz.js
var bar = 'baz';

export default function baz () {
	return bar;
}
//- foo.js
var bar = 'foo';

export default function foo () {
	return bar;
}
