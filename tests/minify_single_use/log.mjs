export const log = [];
export function record(entry) {
  log.push(entry);
  return entry;
}
