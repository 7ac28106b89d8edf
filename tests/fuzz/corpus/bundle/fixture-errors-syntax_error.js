//- /main.js
import './broken.js';
//- /broken.js
const ok = 1;
function broken( {
