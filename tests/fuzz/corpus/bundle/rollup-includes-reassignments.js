//- main.js
import answer from './foo.js';

assert.equal( answer, 42 );
//- foo.js
var answer, getAnswer;

getAnswer = function () {
	return 42;
};

answer = getAnswer();

export default answer;
