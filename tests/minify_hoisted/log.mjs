export const calls = [];
export function log(name) {
  calls.push(name);
}
