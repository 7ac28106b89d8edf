//- main.js
var module = {
	exports: 99
};

assert.equal(module.exports, 99);

export default 1;
