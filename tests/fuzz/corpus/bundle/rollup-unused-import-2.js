//- main.js
import { unused } from 'external';
import './foo.js';
//- foo.js
import { used } from 'external';
assert.ok(used);
