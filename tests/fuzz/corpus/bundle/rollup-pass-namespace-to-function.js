//- main.js
import foo from './foo';

export default function () {
	foo();
}
//- bar.js
// this space left intentionally blank
//- foo.js
import * as bar from './bar';

export default function foo () {}

foo.x = function () {
	doSomethingWith( bar );
};
