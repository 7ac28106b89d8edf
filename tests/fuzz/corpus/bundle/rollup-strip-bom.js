//- main.js
﻿export const msg = 'foo';
