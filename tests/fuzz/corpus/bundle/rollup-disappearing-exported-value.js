//- main.js
import { answer as importedAnswer } from './answer.js';
export { answer as exportedAnswer } from './answer.js';

export function foo () {
	var value;
	value = importedAnswer;
	return value;
}
//- answer.js
var answer = 42;
export { answer };
