export * as shapes from './shapes.mjs';
