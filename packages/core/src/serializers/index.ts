export { bufferSerializer } from './buffer.js'
export { defaultSerializer } from './default.js'
export { jsonSerializer } from './json.js'
export { stringSerializer } from './string.js'
