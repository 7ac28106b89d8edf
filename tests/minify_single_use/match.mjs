import { record } from './log.mjs';
function buildMatch(name, patterns) {
  record(`built ${name}`);
  return (text) => text.startsWith(name) && patterns.any.test(text);
}
// Read once, by `match`: written there, and with it where `match` goes.
const eraPatterns = { any: /^(before|after)/i };
// A value that runs code, read right after it (nothing runs in between): written there.
export const match = { era: buildMatch('A', eraPatterns) };
