// Shared by both pages and by the routes: one copy, one state per page.
import { visits } from './state.js';

export function render(title, body) {
  visits.push(title);
  document.getElementById('app').innerHTML = `<h1>${title}</h1><p>${body}</p>`;
  document.title = `${title} (${visits.length})`;
}
