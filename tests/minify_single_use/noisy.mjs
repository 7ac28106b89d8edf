import { record } from './log.mjs';
record('noise');
