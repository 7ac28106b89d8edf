//- main.js
import * as path from 'path';

path.resolve.configured = 'yes';
