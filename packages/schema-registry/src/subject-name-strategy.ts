/** What a subject name strategy is told. */
export interface SubjectNameContext {
  /** The topic the record goes to (or comes from). */
  readonly topic: string
  /** Whether the key (or a header key) is serialized, rather than the value. */
  readonly isKey: boolean
  /**
   * The fully qualified name of the record being serialized: the Avro record's full name, or the
   * Protobuf message's full name without the leading dot. Undefined for unnamed Avro types.
   */
  readonly recordName: string | undefined
}

/** Chooses the subject a schema is registered and looked up under. */
export type SubjectNameStrategy = (context: SubjectNameContext) => string

/** The default, as in the Java serializers: `<topic>-key` or `<topic>-value`. */
export const TopicNameStrategy: SubjectNameStrategy = (context) => `${context.topic}-${context.isKey ? 'key' : 'value'}`

/** The record's fully qualified name, so one subject holds one record type across topics. */
export const RecordNameStrategy: SubjectNameStrategy = (context) => requireRecordName(context, 'RecordNameStrategy')

/** `<topic>-<fully qualified record name>`, so a topic may carry several record types. */
export const TopicRecordNameStrategy: SubjectNameStrategy = (context) =>
  `${context.topic}-${requireRecordName(context, 'TopicRecordNameStrategy')}`

function requireRecordName(context: SubjectNameContext, strategy: string): string {
  if (context.recordName === undefined || context.recordName === '') {
    throw new TypeError(`${strategy} needs a named record type (an Avro record, enum or fixed, or a Protobuf message)`)
  }
  return context.recordName
}
