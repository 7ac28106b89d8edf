//- main.js
import './foo.js';

(function bar() {})();
//- foo.js
assert.ok( true )
