import { KafkaJSNotImplemented } from './errors/kafkajs-errors.js'
import { createLogger } from './logger.js'
import { resolveSettings } from './options.js'
import { KafkaJSProducer } from './producer.js'
import type { KafkaConfig, Logger, NotProvidedByTributary, Producer, ProducerConfig } from './types.js'

const NOT_PROVIDED =
  '@tributary/kafkajs provides the producer only: create consumers and admin clients with kafkajs itself, ' +
  "e.g. `import { Kafka as KafkaJS } from 'kafkajs'` then `new KafkaJS(config).consumer({ groupId })`, " +
  'with the same config object'

/**
 * kafkajs's client, for producing through Tributary's core: `new Kafka(config).producer(options)`
 * takes kafkajs's configuration and gives kafkajs's producer API. Consumers and admin clients are not
 * provided; they come from kafkajs itself, which an application keeps installed for them.
 */
export class Kafka {
  private readonly config: KafkaConfig
  private readonly rootLogger: Logger

  constructor(config: KafkaConfig) {
    this.config = { ...config }
    this.rootLogger = createLogger({ level: config.logLevel, logCreator: config.logCreator })
  }

  /** A producer with kafkajs's API (see the package README for what differs). */
  producer(config: ProducerConfig = {}): Producer {
    return new KafkaJSProducer(resolveSettings(this.config, config ?? {}, this.rootLogger))
  }

  /**
   * Not provided: consumers come from kafkajs itself (`new (await import('kafkajs')).Kafka(config)
   * .consumer({ groupId })`). Calling it does not compile, and throws KafkaJSNotImplemented.
   */
  consumer(config: NotProvidedByTributary): never
  consumer(): never {
    throw new KafkaJSNotImplemented(`kafka.consumer() is not available: ${NOT_PROVIDED}`)
  }

  /**
   * Not provided: admin clients come from kafkajs itself (`new (await import('kafkajs')).Kafka(config)
   * .admin()`). Calling it does not compile, and throws KafkaJSNotImplemented.
   */
  admin(config: NotProvidedByTributary): never
  admin(): never {
    throw new KafkaJSNotImplemented(`kafka.admin() is not available: ${NOT_PROVIDED}`)
  }

  /** The client's root logger (kafkajs's: `logLevel`, `logCreator`, namespaces). */
  logger(): Logger {
    return this.rootLogger
  }
}
