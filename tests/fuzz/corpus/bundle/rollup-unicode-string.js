//- main.js
const v = "៘";
assert.equal(v, "៘");
