import { type Codec, ProtocolError } from '@tributary/core/protocol'

/** What loading one codec of @tributary/compression gave: the codec, or why there is none. */
type Loaded = { codec: Codec } | { missing: true } | { error: string }

/** The codecs of @tributary/compression by Kafka compression type, once loaded. */
let installed: Map<number, Loaded> | undefined
let loading: Promise<void> | undefined

const NAMES: Record<number, 'snappy' | 'lz4' | 'zstd'> = { 2: 'snappy', 3: 'lz4', 4: 'zstd' }

/**
 * Loads the snappy, lz4 and zstd codecs of `@tributary/compression` when it is installed (it is an
 * optional peer dependency: a project that never sees those codecs need not install native
 * bindings). Once per process; each codec on its own, so one binding that fails to load leaves the
 * others usable. Never rejects: what is missing is reported when a batch needs it.
 */
export function loadInstalledCodecs(): Promise<void> {
  loading ??= (async () => {
    // Literal specifiers, so bundlers and Vite resolve them; dynamic, so they stay optional.
    const results = await Promise.allSettled([
      import('@tributary/compression/snappy').then((m) => m.snappy()),
      import('@tributary/compression/lz4').then((m) => m.lz4()),
      import('@tributary/compression/zstd').then((m) => m.zstd()),
    ])
    const map = new Map<number, Loaded>()
    results.forEach((result, i) => {
      const type = i + 2
      if (result.status === 'fulfilled') map.set(type, { codec: result.value })
      else if (isNotFound(result.reason, '@tributary/compression')) map.set(type, { missing: true })
      else map.set(type, { error: result.reason instanceof Error ? result.reason.message : String(result.reason) })
    })
    installed = map
  })()
  return loading
}

/**
 * The codec for a compression type: one passed in `codecs` first, then the installed one. gzip
 * (type 1) falls through to the one built into @tributary/core; an unknown type (5-7) to core's
 * error. For snappy, lz4 and zstd without a codec, a ProtocolError says what to install.
 */
export function resolveCodec(type: number, explicit: readonly Codec[], autoLoad: boolean): Codec | undefined {
  const given = explicit.find((c) => c.type === type)
  if (given !== undefined) return given
  const name = NAMES[type]
  if (name === undefined) return undefined
  const loaded = autoLoad ? installed?.get(type) : undefined
  if (loaded !== undefined && 'codec' in loaded) return loaded.codec
  const why =
    loaded !== undefined && 'error' in loaded
      ? `@tributary/compression is installed but its ${name} codec failed to load: ${loaded.error}`
      : autoLoad
        ? '@tributary/compression is not installed'
        : 'loading installed codecs is off (loadCodecs: false) and none was passed in codecs'
  throw new ProtocolError(
    `MockCluster cannot decode a record batch compressed with ${name} (compression type ${type}): ${why}. ` +
      `Install it (npm install --save-dev @tributary/compression) and MockCluster uses its ${name} codec, ` +
      `or pass one: MockCluster.start({ codecs: [${name}()] }).`,
  )
}

function isNotFound(error: unknown, name: string): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as NodeJS.ErrnoException).code
  const notFound =
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' ||
    /Cannot find (module|package)|Failed to (load|resolve)/.test(error.message)
  return notFound && error.message.includes(name)
}
