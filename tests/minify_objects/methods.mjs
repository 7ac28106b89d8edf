import { label as name } from './label.mjs';
export function describe() { return this === undefined ? 'no this' : `this is ${this.name}`; }
export function tag(strings) { return `${this.name}:${strings[0]}`; }
export default { name, describe, tag };
