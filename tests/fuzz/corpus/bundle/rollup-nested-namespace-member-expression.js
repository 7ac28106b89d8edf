//- main.js
import * as helpers from './helpers.js';
export default helpers.global.Object === Object;
//- helpers.js
export var global = {Object: {}};
