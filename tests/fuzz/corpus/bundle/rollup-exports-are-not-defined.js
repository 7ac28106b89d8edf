//- main.js
import { foo } from './module';
console.log(foo);
//- module.js
export { foo };
