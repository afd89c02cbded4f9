// The public API of @tributary/opentelemetry. Explicit named exports only.

export {
  INSTRUMENTATION_NAME,
  TributaryInstrumentation,
  type TributaryInstrumentationConfig,
  type TributaryInstrumentationOptions,
  tributaryInstrumentation,
} from './instrumentation.js'
export type { SemconvVersion } from './semconv.js'
