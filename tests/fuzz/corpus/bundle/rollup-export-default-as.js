//- main.js
export { default as foo } from './foo';
//- foo.js
export default 'FOO';
