// binary-parser ships typings, but its package.json "exports" hides them from NodeNext resolution
// (TS7016). Point the bare specifier at the typings it ships.
declare module 'binary-parser' {
  export { Parser } from 'binary-parser/dist/esm/binary_parser.js';
}
