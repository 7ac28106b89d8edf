//- main.js
export * from 'external';
