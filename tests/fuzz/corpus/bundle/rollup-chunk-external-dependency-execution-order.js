//- main.js
import 'external-first';
import './dep.js';
executionOrder.push('main');
//- dep.js
import 'external-second';
executionOrder.push('dep');
