//- main.js
import('./mod');
