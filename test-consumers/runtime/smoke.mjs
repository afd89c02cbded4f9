// Runs in the throwaway consumer project (scripts/check-consumer-types.mjs), as ESM: MockSchemaRegistry
// loads avsc only when an Avro schema is registered, and without protobufjs installed a Protobuf schema
// fails with an error naming the package to install.
import { createRequire } from 'node:module'
import { MockSchemaRegistry } from '@tributary/testing'
import { check } from './smoke-checks.cjs'

await check(MockSchemaRegistry, createRequire(import.meta.url), 'ESM')
