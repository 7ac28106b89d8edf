//- main.js
debugger;

if (true) debugger;
else debugger;
