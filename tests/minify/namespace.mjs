// A module whose namespace object the bundle must build: main.mjs lets it escape.
export let count = 0;
export function bump() {
  count++;
}
const proto = 'an export, not the prototype';
export { proto as '__proto__', proto as 'with space' };
export default 'the default';
