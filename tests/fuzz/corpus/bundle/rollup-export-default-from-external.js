//- main.js
import { sep } from 'path';
export default sep;
