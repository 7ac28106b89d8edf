//- main.js
import foo from './foo';
import bar from './bar';

export {
	foo,
	bar
};
//- bar.js
import { baz } from './baz';

export default baz;
//- baz.js
function Baz () {}

export var baz = 42;

export default Baz( baz );
//- foo.js
import { baz } from './baz';

export default baz;
