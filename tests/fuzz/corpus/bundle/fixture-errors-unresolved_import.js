//- /main.js
import './exists.js';
import missing from './missing.js';
import pkg from 'not-installed';
//- /exists.js
