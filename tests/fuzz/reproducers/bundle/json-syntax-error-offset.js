// A JSON module with a syntax error: verde parses `export default (\n<json>\n);`, and the
// diagnostic keeps offsets into that wrapper (17 bytes off). Rendering the code frame
// slices the real text at the shifted offset, here inside `é`: a panic (the CLI exits 101).
// With ASCII text the position is only wrong (`data.json:2:1` for `{ "a": }`).
//- main.js
import data from "./data.json";
console.log(data);
//- data.json
: éééééééééééééééééééé
