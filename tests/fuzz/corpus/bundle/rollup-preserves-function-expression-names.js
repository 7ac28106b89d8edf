//- main.js
import { basename } from 'path';

var x = function basename () {};
var y = basename( 'path/to/somefile.txt' );

export { x, y };
