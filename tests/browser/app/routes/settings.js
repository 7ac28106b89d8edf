import { render } from '../lib/ui.js';
import { format } from './format.js';

export function showSettings(count) {
  render('Settings', format(`after ${count} views`));
}
