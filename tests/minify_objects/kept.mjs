import { add as value, twice as other } from './math.mjs';
export default { value, other };
