// Produce answered wrongly, with batches in flight: every record settles by its deadline —
// acknowledged, or with a typed error naming the problem — and the same producer sends (and the
// broker stores) again once Produce is healthy.

import { describe } from 'vitest'
import { faults } from './fake-broker.js'
import { guardProcess, PROBLEM, scenario } from './scenario.js'

guardProcess()

describe('when Produce is answered wrongly', () => {
  scenario('records settle with a typed error when Produce answers with a wrong correlation id', {
    arrange: (b) => b.always('Produce', faults.wrongCorrelationId()),
    problem: PROBLEM.correlation,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when the Produce response is truncated', {
    arrange: (b) => b.always('Produce', faults.truncatedFrame()),
    problem: PROBLEM.undecodable,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when a truncated Produce response runs into the next one', {
    arrange: (b) => b.always('Produce', faults.truncatedIntoNext()),
    problem: PROBLEM.undecodable,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when Produce answers random bytes after a valid header', {
    arrange: (b) => b.always('Produce', faults.randomAfterHeader()),
    problem: PROBLEM.garbled,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when Produce declares 2^31-1 topics', {
    arrange: (b) => b.always('Produce', faults.absurdArrayCount()),
    problem: PROBLEM.undecodable,
    allowSuccess: false,
  })

  scenario('records settle with a typed error naming unknown Produce error code 9999', {
    arrange: (b) => b.always('Produce', faults.errorCode(9999)),
    problem: /9999/,
    allowSuccess: false,
  })

  scenario('records settle with a typed error naming unknown Produce error code -5', {
    arrange: (b) => b.always('Produce', faults.errorCode(-5)),
    problem: /-5/,
    allowSuccess: false,
  })

  scenario('records settle when Produce acknowledges with base offset -1', {
    arrange: (b) => b.always('Produce', faults.produceBaseOffset(-1n)),
    problem: /offset|-1/i,
    acksMayLie: true,
  })

  scenario('records settle when Produce answers for partitions and topics that were not asked', {
    arrange: (b) => b.always('Produce', faults.produceUnaskedPartitions()),
    problem: /partition|answer|topic/i,
  })

  scenario('records settle when Produce answers every partition twice', {
    arrange: (b) => b.always('Produce', faults.produceDuplicatePartitions()),
    problem: /duplicate|twice|NOT_LEADER|leader/i,
    acksMayLie: true,
  })

  scenario('records settle with a typed error when Produce answers for partition 50,000,000 instead', {
    arrange: (b) => b.always('Produce', faults.producePartitionIndex(50_000_000)),
    problem: /no answer|not answer|50000000|partition/i,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when Produce answers for partition -1 instead', {
    arrange: (b) => b.always('Produce', faults.producePartitionIndex(-1)),
    problem: /no answer|not answer|-1|partition/i,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when the Produce response has no topics', {
    arrange: (b) => b.always('Produce', faults.produceEmpty()),
    problem: /no answer|not answer|partition/i,
    allowSuccess: false,
  })

  scenario('records settle by their deadline when Produce is never answered', {
    arrange: (b) => b.always('Produce', faults.silent()),
    problem: PROBLEM.noAnswer,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when the broker closes the connection in the middle of Produce', {
    arrange: (b) => b.always('Produce', faults.closeMidResponse()),
    problem: PROBLEM.closed,
    allowSuccess: false,
  })

  scenario('records settle by their deadline when Produce is answered only after the request timeout', {
    arrange: (b) => b.always('Produce', faults.delay(1500)),
    problem: PROBLEM.noAnswer,
    allowSuccess: false,
  })

  // Per call, a record's deadline can come long before the request timeout: a batch in flight then
  // fails by its own deadline (its outcome unknown), not when its request times out.
  scenario(
    'a batch in flight fails by its own deadline, before its request times out, when Produce is never answered',
    {
      arrange: (b) => b.always('Produce', faults.silent()),
      problem: PROBLEM.noAnswer,
      allowSuccess: false,
      timing: { requestTimeoutMs: 2500, deliveryTimeoutMs: 3000, lingerMs: 0 },
      sendOptions: { timeoutMs: 600 },
      marginMs: 1000,
    },
  )

  scenario('records settle when acks=1 and idempotence is off and Produce is truncated', {
    arrange: (b) => b.always('Produce', faults.truncatedFrame()),
    problem: PROBLEM.undecodable,
    allowSuccess: false,
    producer: { acks: 1, idempotent: false },
  })
})
