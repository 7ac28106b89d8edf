// Server-renders the app with react-dom/server (CommonJS, switching on process.env.NODE_ENV).
import { renderToString } from 'react-dom/server';
import React from 'react';
import { App } from './app.jsx';

const html = renderToString(
  React.createElement(App, { title: 'Fruits', items: ['apple', 'pear', '<fig> & "kiwi"'] }),
);
console.log(html);
