// format: cjs
// The entry exports `__esModule` itself: the bundle must not define it twice.
//- /main.js
export const __esModule = true;
export default 'the default';
export const named = "named";
console.log("loads without defining __esModule twice");
