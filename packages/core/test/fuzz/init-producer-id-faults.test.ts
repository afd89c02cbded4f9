// InitProducerId answered wrongly (the idempotent producer's first step before any Produce): every
// record settles by its deadline with a typed error naming the problem, and the same producer gets
// an id and sends once the broker is healthy.

import { describe } from 'vitest'
import { faults } from './fake-broker.js'
import { guardProcess, PROBLEM, scenario } from './scenario.js'

guardProcess()

describe('when InitProducerId is answered wrongly', () => {
  scenario('records settle with a typed error when InitProducerId answers with a wrong correlation id', {
    arrange: (b) => b.always('InitProducerId', faults.wrongCorrelationId()),
    problem: PROBLEM.correlation,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when the InitProducerId response is truncated', {
    arrange: (b) => b.always('InitProducerId', faults.truncatedFrame()),
    problem: PROBLEM.undecodable,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when InitProducerId answers a body that stops after the error code', {
    arrange: (b) => b.always('InitProducerId', faults.absurdArrayCount()),
    problem: PROBLEM.undecodable,
    allowSuccess: false,
  })

  scenario('records settle when a truncated InitProducerId response runs into the next one', {
    // Its body has a fixed size, so the frame may decode (to a garbage producer id): records may
    // even be acknowledged; what matters is that they settle and the stream is abandoned.
    arrange: (b) => b.always('InitProducerId', faults.truncatedIntoNext()),
    problem: PROBLEM.garbled,
  })

  scenario('records settle with a typed error when InitProducerId answers random bytes after a valid header', {
    arrange: (b) => b.always('InitProducerId', faults.randomAfterHeader()),
    problem: PROBLEM.garbled,
    allowSuccess: false,
  })

  scenario('records settle with a typed error naming unknown InitProducerId error code 9999', {
    arrange: (b) => b.always('InitProducerId', faults.errorCode(9999)),
    problem: /9999/,
    allowSuccess: false,
  })

  scenario('records settle with a typed error naming unknown InitProducerId error code -5', {
    arrange: (b) => b.always('InitProducerId', faults.errorCode(-5)),
    problem: /-5/,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when InitProducerId gives producer id -1 without an error', {
    arrange: (b) => b.always('InitProducerId', faults.initProducerIdNegative()),
    problem: /producer id|-1/i,
    allowSuccess: false,
  })

  scenario('records settle by their deadline when InitProducerId is never answered', {
    arrange: (b) => b.always('InitProducerId', faults.silent()),
    problem: PROBLEM.noAnswer,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when the broker closes the connection in the middle of InitProducerId', {
    arrange: (b) => b.always('InitProducerId', faults.closeMidResponse()),
    problem: PROBLEM.closed,
    allowSuccess: false,
  })

  scenario('records settle by their deadline when InitProducerId is answered only after the request timeout', {
    arrange: (b) => b.always('InitProducerId', faults.delay(1500)),
    problem: PROBLEM.noAnswer,
    allowSuccess: false,
  })
})
