import { createRequire } from 'node:module'
import type * as Avsc from 'avsc'
import type * as Protobufjs from 'protobufjs'
import type * as Descriptor from 'protobufjs/ext/descriptor.js'

/*
 * The libraries behind MockSchemaRegistry's schema formats: avsc (Avro) and protobufjs (Protobuf). They
 * are optional peer dependencies of @tributary/testing, so an application installs only the ones for
 * the formats it registers (an Avro-only application gets no protobufjs, 4 MB). Each is loaded the
 * first time a schema of its format is parsed; when it is not installed, that schema fails with an
 * error naming the package to install.
 *
 * `avro`, `protobuf` and `descriptor` stand in for the modules' default imports (`import avro from
 * 'avsc'`): as values they load the module on first property access; as namespaces they carry the
 * module's types, so `avro.Type` and `protobuf.Root` read as before. A type not listed below is added
 * here with one line.
 */

const requireFromHere = createRequire(import.meta.url)

/** A format's library is not installed. */
export class MissingFormatLibraryError extends Error {
  readonly code = 'ERR_TRIBUTARY_MISSING_FORMAT_LIBRARY'

  constructor(
    readonly packageName: string,
    format: string,
    cause: unknown,
  ) {
    super(
      `MockSchemaRegistry needs the "${packageName}" package for ${format} schemas, and it is not installed: ` +
        `npm install -D ${packageName} (an optional peer dependency of @tributary/testing)`,
      { cause },
    )
    this.name = 'MissingFormatLibraryError'
  }
}

function requireLibrary<T>(specifier: string, packageName: string, format: string): T {
  try {
    return requireFromHere(specifier) as T
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    // Only the package itself missing; a broken install (one of its own dependencies missing) keeps its error.
    if (e.code === 'MODULE_NOT_FOUND' && e.message.includes(`'${specifier}'`)) {
      throw new MissingFormatLibraryError(packageName, format, error)
    }
    throw error
  }
}

/** A module object that loads the module the first time one of its properties is read. */
function lazyModule<T extends object>(load: () => T): T {
  let loaded: T | undefined
  const target = (): T => {
    loaded ??= load()
    return loaded
  }
  return new Proxy(Object.create(null) as T, {
    get: (_, key) => Reflect.get(target(), key),
    has: (_, key) => Reflect.has(target(), key),
  })
}

function loadProtobufjs(): typeof Protobufjs {
  const protobufjs = requireLibrary<typeof Protobufjs>('protobufjs', 'protobufjs', 'Protobuf')
  // The descriptor extension adds Root.fromDescriptor and toDescriptor() to protobufjs's classes.
  requireLibrary<typeof Descriptor>('protobufjs/ext/descriptor.js', 'protobufjs', 'Protobuf')
  return protobufjs
}

/** avsc, loaded when first used. */
export const avro: typeof Avsc = lazyModule(() => requireLibrary<typeof Avsc>('avsc', 'avsc', 'Avro'))

/** protobufjs (with its descriptor extension), loaded when first used. */
export const protobuf: typeof Protobufjs = lazyModule(loadProtobufjs)

/** protobufjs's descriptor extension (`protobufjs/ext/descriptor.js`), loaded when first used. */
export const descriptor: typeof Descriptor = lazyModule(() => {
  loadProtobufjs()
  return requireLibrary<typeof Descriptor>('protobufjs/ext/descriptor.js', 'protobufjs', 'Protobuf')
})

// The modules' types, under the same names.
export declare namespace avro {
  type Type = Avsc.Type
  type Schema = Avsc.Schema
}

export declare namespace protobuf {
  type AnyExtensionField = Protobufjs.AnyExtensionField
  type AnyNestedObject = Protobufjs.AnyNestedObject
  type Enum = Protobufjs.Enum
  type Field = Protobufjs.Field
  type IConversionOptions = Protobufjs.IConversionOptions
  type IEnum = Protobufjs.IEnum
  type IField = Protobufjs.IField
  type IMethod = Protobufjs.IMethod
  type INamespace = Protobufjs.INamespace
  type IOneOf = Protobufjs.IOneOf
  type IParseOptions = Protobufjs.IParseOptions
  type IService = Protobufjs.IService
  type IType = Protobufjs.IType
  type MapField = Protobufjs.MapField
  type Message<T extends object = object> = Protobufjs.Message<T>
  type Method = Protobufjs.Method
  type Namespace = Protobufjs.Namespace
  type NamespaceBase = Protobufjs.NamespaceBase
  type OneOf = Protobufjs.OneOf
  type Reader = Protobufjs.Reader
  type ReflectionObject = Protobufjs.ReflectionObject
  type Root = Protobufjs.Root
  type Service = Protobufjs.Service
  type Type = Protobufjs.Type
  type Writer = Protobufjs.Writer
}

export declare namespace descriptor {
  type IDescriptorContext = Descriptor.IDescriptorContext
  type IDescriptorProto = Descriptor.IDescriptorProto
  type IEnumDescriptorProto = Descriptor.IEnumDescriptorProto
  type IEnumOptions = Descriptor.IEnumOptions
  type IEnumValueDescriptorProto = Descriptor.IEnumValueDescriptorProto
  type IEnumValueOptions = Descriptor.IEnumValueOptions
  type IFieldDescriptorProto = Descriptor.IFieldDescriptorProto
  type IFieldOptions = Descriptor.IFieldOptions
  type IFileDescriptorProto = Descriptor.IFileDescriptorProto
  type IFileDescriptorSet = Descriptor.IFileDescriptorSet
  type IFileOptions = Descriptor.IFileOptions
  type IMessageOptions = Descriptor.IMessageOptions
  type IMethodDescriptorProto = Descriptor.IMethodDescriptorProto
  type IMethodOptions = Descriptor.IMethodOptions
  type IOneofDescriptorProto = Descriptor.IOneofDescriptorProto
  type IServiceDescriptorProto = Descriptor.IServiceDescriptorProto
  type IServiceOptions = Descriptor.IServiceOptions
}
