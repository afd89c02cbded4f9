// The public API of @tributary/partitioners. Explicit named exports only.

export { javaDefault, roundRobin, uniformSticky } from './java.js'
export {
  type KafkajsMessage,
  type KafkajsPartitionerArgs,
  type KafkajsPartitionerFactory,
  kafkajsLegacy,
  toKafkajs,
} from './kafkajs.js'
export { consistent, consistentRandom, fnv1aRandom, murmur2Random, type StickyRandomOptions } from './librdkafka.js'
export { type ByHeaderOptions, byHeader, type ExplicitOptions, explicit, fromFunction } from './routing.js'
export { type Fnv1aOptions, fnv1a } from './sarama.js'
