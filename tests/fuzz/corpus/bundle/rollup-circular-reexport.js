//- main.js
import { foo } from './main.js';

export { foo };
