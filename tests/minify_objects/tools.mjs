import { add, twice, Point } from './math.mjs';
import { label } from './label.mjs';
export default { add, twice, label, Point };
