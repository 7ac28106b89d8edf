//- main.js
import foo from './foo';

assert.ok( foo );
//- bar.js
export default { isBar: true };
//- foo.js
import foo from './bar';

export default foo.isBar;
