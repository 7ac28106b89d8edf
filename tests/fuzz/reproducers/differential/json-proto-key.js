// verde inlines a JSON module as an object literal, where a "__proto__" key sets the
// prototype instead of making a property: the bundle prints {"a":2} a, node
// {"__proto__":{"x":1},"a":2} __proto__,a.
//- main.mjs
import data from "./d.json" with { type: "json" };
console.log(JSON.stringify(data), Object.keys(data).join());
//- d.json
{ "__proto__": { "x": 1 }, "a": 2 }
