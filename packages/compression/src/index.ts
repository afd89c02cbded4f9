// @tributary/compression: each codec is its own subpath export, so an application loads (and
// installs the native binding of) only the codecs it uses:
//
//   import { snappy } from '@tributary/compression/snappy'
//   import { lz4 } from '@tributary/compression/lz4'
//   import { zstd } from '@tributary/compression/zstd'
//
// The root export holds only the option types.

export type { Lz4Options } from './lz4.js'
export type { SnappyOptions } from './snappy.js'
export type { ZstdOptions } from './zstd.js'
