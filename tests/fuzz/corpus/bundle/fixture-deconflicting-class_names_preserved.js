//- /main.js
import { Widget as Imported } from './widget.js';
class Widget {}
console.log(new Imported().constructor.name, Widget.name);
//- /widget.js
export class Widget {}
