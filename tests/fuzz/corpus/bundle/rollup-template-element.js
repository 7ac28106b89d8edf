//- main.js
assert.ok(String.raw`\update`);
