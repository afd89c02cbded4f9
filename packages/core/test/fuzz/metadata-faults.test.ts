// Metadata answered wrongly, until the broker heals: every record settles by its deadline with a
// typed error naming the problem (or is acknowledged), nothing allocates for absurd indexes, and
// the same producer sends again once Metadata is healthy.

import { describe } from 'vitest'
import { faults } from './fake-broker.js'
import { guardProcess, PROBLEM, scenario } from './scenario.js'

guardProcess()

describe('when Metadata is answered wrongly', () => {
  scenario('records settle with a typed error when Metadata answers with a wrong correlation id', {
    arrange: (b) => b.always('Metadata', faults.wrongCorrelationId()),
    problem: PROBLEM.correlation,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when the Metadata response is truncated', {
    arrange: (b) => b.always('Metadata', faults.truncatedFrame()),
    problem: PROBLEM.undecodable,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when a truncated Metadata response runs into the next one', {
    arrange: (b) => b.always('Metadata', faults.truncatedIntoNext()),
    problem: PROBLEM.undecodable,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when Metadata answers random bytes after a valid header', {
    arrange: (b) => b.always('Metadata', faults.randomAfterHeader()),
    problem: PROBLEM.garbled,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when Metadata declares 2^31-1 brokers', {
    arrange: (b) => b.always('Metadata', faults.absurdArrayCount()),
    problem: PROBLEM.undecodable,
    allowSuccess: false,
  })

  scenario('a Metadata partition index of 50,000,000 is rejected without allocating for it', {
    arrange: (b) => b.always('Metadata', faults.metadataPartitionIndex(50_000_000)),
    problem: /50000000|50,000,000/,
    allowSuccess: false,
  })

  scenario('a negative Metadata partition index is rejected with a typed error', {
    arrange: (b) => b.always('Metadata', faults.metadataPartitionIndex(-1)),
    problem: /partition -1|negative/i,
    allowSuccess: false,
  })

  scenario('a topic with 0 partitions fails records with a typed error, never a RangeError from send()', {
    arrange: (b) => b.always('Metadata', faults.metadataZeroPartitions()),
    // A record for an explicit partition may fail as out of range ("an integer in [0, 0)").
    problem: /0 partitions|no partitions|zero partitions|\[0, 0\)/i,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when every partition has leader -1', {
    arrange: (b) => b.always('Metadata', faults.metadataNoLeader()),
    problem: /leader/i,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when the leader is not in the broker list', {
    arrange: (b) => b.always('Metadata', faults.metadataUnknownLeader(77)),
    problem: /leader|broker 77|not in the metadata/i,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when the broker list is empty', {
    arrange: (b) => b.always('Metadata', faults.metadataNoBrokers()),
    problem: /leader|broker/i,
    allowSuccess: false,
  })

  // Listed twice with the same leader: a client may reject the response or take it at its word.
  scenario('records settle when every partition is listed twice', {
    arrange: (b) => b.always('Metadata', faults.metadataDuplicatePartitions()),
    problem: /duplicate|twice|listed partition/i,
  })

  scenario('records settle with a typed error naming unknown topic error code 9999', {
    arrange: (b) => b.always('Metadata', faults.errorCode(9999)),
    problem: /9999/,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when every partition has unknown error code -5', {
    arrange: (b) => b.always('Metadata', faults.metadataPartitionErrorCode(-5)),
    problem: /-5|leader/i,
    allowSuccess: false,
  })

  scenario('records settle by their deadline when Metadata is never answered', {
    arrange: (b) => b.always('Metadata', faults.silent()),
    problem: PROBLEM.noAnswer,
    allowSuccess: false,
  })

  scenario('records settle with a typed error when the broker closes the connection in the middle of Metadata', {
    arrange: (b) => b.always('Metadata', faults.closeMidResponse()),
    problem: PROBLEM.closed,
    allowSuccess: false,
  })

  scenario('records settle by their deadline when Metadata is answered only after the request timeout', {
    arrange: (b) => b.always('Metadata', faults.delay(1500)),
    problem: PROBLEM.noAnswer,
    allowSuccess: false,
  })
})
