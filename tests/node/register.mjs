// `node --import register.mjs main.js`: installs resolve-hook.mjs.
import { register } from 'node:module';

register(new URL('./resolve-hook.mjs', import.meta.url));
