import type { MockSchemaRegistry } from '../schema-registry/mock-schema-registry.js'

/** The web inspector's options (`MockCluster.start({ ui: { ... } })`; `ui: true` takes the defaults). */
export interface MockInspectorOptions {
  /** Port on 127.0.0.1 (the inspector listens on nothing else). Default: a free port. */
  port?: number | undefined
  /**
   * Decode keys and values in Confluent's wire format (magic byte 0 and a schema id) with this
   * registry's schemas: Avro, Protobuf (message indexes as the Java serializer writes them), JSON Schema.
   */
  registry?: MockSchemaRegistry | undefined
  /** Requests the live request log keeps (the page shows the newest). Default 1,000. */
  requestLogSize?: number | undefined
}
