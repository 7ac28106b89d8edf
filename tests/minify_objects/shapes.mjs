export const area = (r) => r * r;
