import { createRequire } from 'node:module'
import type { DescFile, DescMessage } from '@bufbuild/protobuf'
import protobuf from 'protobufjs'
import descriptor from 'protobufjs/ext/descriptor.js'

// protobuf-es (`@bufbuild/protobuf` v2) message schemas, as protoc-gen-es generates them
// (`OrderSchema: GenMessage<Order>`). `@bufbuild/protobuf` is an optional peer dependency: it is loaded
// the first time such a schema is given, never for protobufjs types. The schema's file descriptors
// (with the files they import) are read into protobufjs reflection once, so that a protobuf-es message
// is registered as the same `.proto` file, with the same references and message indexes, as the
// protobufjs type of the same file: only the encoding itself is protobuf-es's.

/** The part of a protobuf-es message descriptor told apart from a protobufjs Type. */
export interface DescMessageLike {
  readonly kind: 'message'
  readonly typeName: string
  readonly file: { readonly name: string }
}

/** Whether a value is a protobuf-es message descriptor (`DescMessage`, what `GenMessage` schemas are). */
export function isDescMessage(value: unknown): value is DescMessage {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Partial<DescMessageLike>
  return v.kind === 'message' && typeof v.typeName === 'string' && typeof v.file === 'object'
}

type BufbuildModule = typeof import('@bufbuild/protobuf')
type BufbuildWkt = typeof import('@bufbuild/protobuf/wkt')

/** The functions of `@bufbuild/protobuf` the serializers use. */
export interface Bufbuild {
  readonly create: BufbuildModule['create']
  readonly isMessage: BufbuildModule['isMessage']
  readonly toBinary: BufbuildModule['toBinary']
  readonly fromBinary: BufbuildModule['fromBinary']
  readonly FileDescriptorProtoSchema: BufbuildWkt['FileDescriptorProtoSchema']
}

let loaded: Bufbuild | undefined

/** `@bufbuild/protobuf`, loaded on first use; a clear error when it is not installed. */
export function bufbuild(): Bufbuild {
  if (loaded !== undefined) return loaded
  const require = createRequire(import.meta.url)
  let main: BufbuildModule
  let wkt: BufbuildWkt
  try {
    main = require('@bufbuild/protobuf') as BufbuildModule
    wkt = require('@bufbuild/protobuf/wkt') as BufbuildWkt
  } catch (error) {
    throw new Error(
      'protobuf-es message schemas need the "@bufbuild/protobuf" package (v2), which is not installed: npm install @bufbuild/protobuf',
      { cause: error },
    )
  }
  loaded = {
    create: main.create,
    isMessage: main.isMessage,
    toBinary: main.toBinary,
    fromBinary: main.fromBinary,
    FileDescriptorProtoSchema: wkt.FileDescriptorProtoSchema,
  }
  return loaded
}

const roots = new WeakMap<DescFile, protobuf.Root>()

/**
 * The protobufjs Type of a protobuf-es message: its file and every file it imports read from their
 * descriptors into one protobufjs Root, each top-level declaration keeping its file's name (so that
 * `protoFileOf` prints the file and its imports as protoc named them).
 */
export function protobufjsTypeOf(desc: DescMessage): protobuf.Type {
  let root = roots.get(desc.file)
  if (root === undefined) {
    root = rootOf(desc.file)
    roots.set(desc.file, root)
  }
  return root.lookupType(desc.typeName)
}

function rootOf(file: DescFile): protobuf.Root {
  const { toBinary, FileDescriptorProtoSchema } = bufbuild()
  const files: DescFile[] = []
  const seen = new Set<string>()
  const visit = (f: DescFile): void => {
    if (seen.has(f.name)) return
    seen.add(f.name)
    for (const dep of f.dependencies) visit(dep)
    files.push(f)
  }
  visit(file)
  const protos = files.map(
    (f) =>
      descriptor.FileDescriptorProto.decode(
        toBinary(FileDescriptorProtoSchema, f.proto),
      ) as unknown as descriptor.IFileDescriptorProto,
  )
  const root = protobuf.Root.fromDescriptor({ file: protos }, { keepCase: true })
  for (const proto of protos) {
    const prefix = proto.package ? `.${proto.package}` : ''
    for (const declared of [...(proto.messageType ?? []), ...(proto.enumType ?? []), ...(proto.service ?? [])]) {
      const object = root.lookup(`${prefix}.${declared.name}`)
      if (object !== null) object.filename = proto.name ?? null
    }
  }
  root.resolveAll()
  return root
}
