//- main.js
/*@__PURE__*/ const x = () => console.log();
/*@__NO_SIDE_EFFECTS__*/ const foo = 1,
	bar = () => console.log();
/*@__NO_SIDE_EFFECTS__*/ assert.ok(true);
