import {
  decodeMessageIndexes,
  decodeProtobufWireFormat,
  decodeWireFormat,
  encodeMessageIndexes,
  encodeWireFormat,
  RecordNameStrategy,
  TopicNameStrategy,
  TopicRecordNameStrategy,
  WireFormatError,
  writeWireHeader,
} from '@tributary/schema-registry'
import { describe, expect, it } from 'vitest'

describe('Confluent wire format', () => {
  it('frames a payload: magic byte 0, the schema id big-endian, the payload', () => {
    const out = encodeWireFormat(0x01020304, Buffer.from('hi'))
    expect([...out]).toEqual([0, 1, 2, 3, 4, 0x68, 0x69])
    expect(decodeWireFormat(out)).toEqual({ schemaId: 0x01020304, payload: Buffer.from('hi') })
    const big = encodeWireFormat(0xfffffffe, Buffer.alloc(0))
    expect(decodeWireFormat(big).schemaId).toBe(0xfffffffe)
  })

  it('writes the header in place at an offset', () => {
    const target = Buffer.alloc(8, 0xff)
    expect(writeWireHeader(target, 7, 2)).toBe(7)
    expect([...target]).toEqual([0xff, 0xff, 0, 0, 0, 0, 7, 0xff])
    expect(() => writeWireHeader(target, -1)).toThrow(RangeError)
  })

  it('rejects bytes that are not in the wire format', () => {
    expect(() => decodeWireFormat(Buffer.from([0, 0, 1]))).toThrow(WireFormatError)
    const error = (() => {
      try {
        decodeWireFormat(Buffer.from([1, 0, 0, 0, 1]))
      } catch (e) {
        return e
      }
    })()
    expect(WireFormatError.isInstance(error)).toBe(true)
    expect((error as Error).message).toContain('unknown magic byte 1')
  })

  it('writes Protobuf message indexes as the Java serializer: zig-zag varints, [0] as one 0 byte', () => {
    expect([...encodeMessageIndexes([0])]).toEqual([0])
    expect([...encodeMessageIndexes([])]).toEqual([0])
    expect([...encodeMessageIndexes([1])]).toEqual([2, 2])
    expect([...encodeMessageIndexes([1, 0])]).toEqual([4, 2, 0])
    expect([...encodeMessageIndexes([0, 2])]).toEqual([4, 0, 4])
    expect([...encodeMessageIndexes([64])]).toEqual([2, 0x80, 0x01])
    for (const indexes of [[0], [5], [0, 0], [2, 1, 0], [1000, 70000]]) {
      const bytes = encodeMessageIndexes(indexes)
      expect(decodeMessageIndexes(bytes, 0)).toEqual({ indexes, offset: bytes.length })
    }
    expect(() => encodeMessageIndexes([-1, 2])).toThrow(RangeError)
  })

  it('frames and reads a Protobuf record with its message indexes', () => {
    const out = encodeWireFormat(9, Buffer.from([0x0a, 0x01, 0x41]), [1, 0])
    expect([...out]).toEqual([0, 0, 0, 0, 9, 4, 2, 0, 0x0a, 0x01, 0x41])
    expect(decodeProtobufWireFormat(out)).toEqual({
      schemaId: 9,
      messageIndexes: [1, 0],
      payload: Buffer.from([0x0a, 0x01, 0x41]),
    })
    expect(decodeProtobufWireFormat(encodeWireFormat(9, Buffer.from([1]), [0])).messageIndexes).toEqual([0])
    expect(() => decodeProtobufWireFormat(Buffer.from([0, 0, 0, 0, 9, 4, 2]))).toThrow(WireFormatError)
    expect(() => decodeProtobufWireFormat(Buffer.from([0, 0, 0, 0, 9, 0x80]))).toThrow('ends inside a varint')
  })
})

describe('subject name strategies', () => {
  const key = { topic: 'orders', isKey: true, recordName: 'com.acme.Order' }
  const value = { ...key, isKey: false }
  it('TopicNameStrategy: <topic>-key and <topic>-value', () => {
    expect(TopicNameStrategy(key)).toBe('orders-key')
    expect(TopicNameStrategy(value)).toBe('orders-value')
  })
  it('RecordNameStrategy and TopicRecordNameStrategy use the fully qualified record name', () => {
    expect(RecordNameStrategy(value)).toBe('com.acme.Order')
    expect(TopicRecordNameStrategy(value)).toBe('orders-com.acme.Order')
    expect(() => RecordNameStrategy({ ...value, recordName: undefined })).toThrow('needs a named record type')
  })
})
