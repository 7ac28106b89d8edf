//- main.js
import { resolve } from 'path';

resolve.configured = 'yes';
