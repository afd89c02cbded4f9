import type { Logger as TributaryLogger } from '@tributary/core'
import { type LogEntry, type Logger, type logCreator, logLevel } from './types.js'

// kafkajs's logger: levels, namespaces, `logCreator`, the KAFKAJS_LOG_LEVEL environment variable and
// the JSON console output, as kafkajs 2.2.4 has them, so a `logCreator` written for kafkajs (pino or
// winston adapters, for example) receives the same entries.

type Level = logLevel

/** KAFKAJS_LOG_LEVEL (a level name), when set, wins over the configured level, as in kafkajs. */
function evaluateLogLevel(level: Level | null): Level | null {
  const fromEnv = (process.env.KAFKAJS_LOG_LEVEL ?? '').toUpperCase()
  const named = (logLevel as Record<string, Level | undefined>)[fromEnv]
  return named ?? level
}

/** kafkajs's default log creator: one JSON line per entry on the console. */
export const consoleLogCreator: logCreator =
  () =>
  ({ namespace, level, label, log }: LogEntry) => {
    const prefix = namespace ? `[${namespace}] ` : ''
    const message = JSON.stringify({ level: label, ...log, message: `${prefix}${log.message}` })
    switch (level) {
      case logLevel.INFO:
        return console.info(message)
      case logLevel.ERROR:
        return console.error(message)
      case logLevel.WARN:
        return console.warn(message)
      case logLevel.DEBUG:
        return console.log(message)
    }
  }

/** A kafkajs root logger (`kafka.logger()`): level INFO and the console unless told otherwise. */
export function createLogger(options: { level?: Level | undefined; logCreator?: logCreator | undefined } = {}): Logger {
  let rootLevel = evaluateLogLevel(options.level ?? logLevel.INFO) as Level
  const write = (options.logCreator ?? consoleLogCreator)(rootLevel)

  const functions = (namespace: string, namespaceLevel: Level | null): Logger => {
    const current = () => namespaceLevel ?? rootLevel
    const at =
      (level: Level, label: string) =>
      (message: string, extra: object = {}): void => {
        if (level > current()) return
        write({
          namespace,
          level,
          label,
          log: Object.assign({ timestamp: new Date().toISOString(), logger: 'kafkajs', message }, extra),
        })
      }
    const logger: Logger = {
      info: at(logLevel.INFO, 'INFO'),
      error: at(logLevel.ERROR, 'ERROR'),
      warn: at(logLevel.WARN, 'WARN'),
      debug: at(logLevel.DEBUG, 'DEBUG'),
      namespace: (name, level) => functions(name, evaluateLogLevel(level ?? null)),
      setLogLevel: (level) => {
        rootLevel = level
      },
    }
    return logger
  }
  return functions('', null)
}

/** Tributary's core producer logs through a kafkajs logger (its messages and extras as they are). */
export function toTributaryLogger(logger: Logger): TributaryLogger {
  return {
    debug: (message, extra) => logger.debug(message, extra),
    info: (message, extra) => logger.info(message, extra),
    warn: (message, extra) => logger.warn(message, extra),
    error: (message, extra) => logger.error(message, extra),
  }
}
