// Read through a namespace object, whose getters read like any importer: a short literal
// and a longer one read nowhere else are returned in place, and their declarations go; a
// longer literal read elsewhere too, and an assigned binding, are returned by name.
export const ON = 1, TAG = 'x';
export const DESCRIPTION = 'a longer literal, read by a getter only';
export const TITLE = 'a longer literal, read by a getter and an item';
export let count = 0;
export function increment() {
  count++;
}
