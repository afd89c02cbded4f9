// The connection handshake answered wrongly (ApiVersions, the first request of every connection),
// or a connection that misbehaves before any request: every record settles by its deadline with a
// typed error naming the problem, and the same producer sends again once the broker is healthy.

import { describe } from 'vitest'
import { connectionFaults, faults } from './fake-broker.js'
import { DEFAULT_TIMING } from './harness.js'
import { guardProcess, PROBLEM, scenario } from './scenario.js'

guardProcess()

describe('when ApiVersions is answered wrongly', () => {
  scenario('records settle with a typed error when ApiVersions answers with a wrong correlation id', {
    arrange: (b) => b.always('ApiVersions', faults.wrongCorrelationId()),
    problem: PROBLEM.correlation,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when the ApiVersions response is truncated', {
    arrange: (b) => b.always('ApiVersions', faults.truncatedFrame()),
    problem: PROBLEM.undecodable,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when a truncated ApiVersions response runs into the next one', {
    arrange: (b) => b.always('ApiVersions', faults.truncatedIntoNext()),
    problem: PROBLEM.undecodable,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when ApiVersions answers random bytes after a valid header', {
    arrange: (b) => b.always('ApiVersions', faults.randomAfterHeader()),
    problem: PROBLEM.garbled,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when ApiVersions declares 2^31-1 APIs', {
    arrange: (b) => b.always('ApiVersions', faults.absurdArrayCount()),
    problem: PROBLEM.undecodable,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when ApiVersions answers unknown error code 9999', {
    arrange: (b) => b.always('ApiVersions', faults.errorCode(9999)),
    problem: /9999|ApiVersions/,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when ApiVersions lists no APIs', {
    arrange: (b) => b.always('ApiVersions', faults.apiVersionsEmpty()),
    problem: /support|ApiVersions|version/i,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when ApiVersions gives min versions above max versions', {
    arrange: (b) => b.always('ApiVersions', faults.apiVersionsInvertedRanges()),
    problem: /support|ApiVersions|version/i,
    allowSuccess: false,
  })

  scenario('30 records settle by their deadline against a broker that accepts TCP and never answers', {
    arrange: (b) => b.always('ApiVersions', faults.silent()),
    problem: PROBLEM.noAnswer,
    allowSuccess: false,
    plan: { promise: 10, callback: 10, batch: 10 },
    // The records' own deadline is what bounds them, not the metadata wait.
    timing: { maxBlockMs: DEFAULT_TIMING.deliveryTimeoutMs },
  })

  scenario('records settle with a typed error when the broker closes the connection in the middle of ApiVersions', {
    arrange: (b) => b.always('ApiVersions', faults.closeMidResponse()),
    problem: PROBLEM.closed,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when the broker closes the connection instead of answering', {
    arrange: (b) => b.always('ApiVersions', faults.closeWithoutAnswer()),
    problem: PROBLEM.closed,
    allowSuccess: false,
  })

  scenario('records settle by their deadline when ApiVersions is answered only after the request timeout', {
    arrange: (b) => b.always('ApiVersions', faults.delay(1500)),
    problem: PROBLEM.noAnswer,
    allowSuccess: false,
  })
})

describe('when a connection misbehaves before any request', () => {
  const many = <T>(n: number, make: () => T): T[] => Array.from({ length: n }, make)

  scenario('records settle with a typed error when every connection starts with a junk frame', {
    arrange: (b) => b.nextConnections(...many(500, () => connectionFaults.garbageFirst('junk-frame'))),
    problem: /correlation id|no request was waiting|unexpected|decod/i,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when every connection starts with a negative frame size', {
    arrange: (b) => b.nextConnections(...many(500, () => connectionFaults.garbageFirst('negative-size'))),
    problem: /negative|frame size|size/i,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when every connection starts with a frame size above the maximum', {
    arrange: (b) => b.nextConnections(...many(500, () => connectionFaults.garbageFirst('noise'))),
    problem: /larger than|maximum|too large|frame/i,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when every connection is closed as soon as it is accepted', {
    arrange: (b) => b.nextConnections(...many(500, () => connectionFaults.closeOnAccept())),
    problem: PROBLEM.closed,
    allowSuccess: false,
  })
})
