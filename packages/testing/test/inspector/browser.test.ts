import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { jsonSerializer, Producer, stringSerializer } from '@tributary/core'
import { produceWithKcat } from '@tributary/test-support/kcat'
import { INSTALL_HINT } from '@tributary/test-support/processes'
import { Kafka, logLevel } from 'kafkajs'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MockCluster } from '../../src/index.js'

// The web inspector in a real browser: Debian's Chromium (scripts/install-system-deps.sh installs
// it) driven by playwright-core, which downloads no browser. The page loads, records produced with
// kcat appear without a reload, a fault button moves a partition leader and the page shows it.
//
// TRIBUTARY_UPDATE_SCREENSHOT=1 writes the screenshot of the page with data in it to
// packages/testing/docs/inspector.png (the testing README shows it); otherwise it goes to a
// temporary directory and is deleted.

const CHROMIUM = '/usr/bin/chromium'
const SCREENSHOT = fileURLToPath(new URL('../../docs/inspector.png', import.meta.url))
/** A hang detector for waits on the page, not a speed check. */
const WAIT_MS = 30_000

describe('the web inspector in Chromium', () => {
  let cluster: MockCluster
  let context: BrowserContext
  let page: Page
  let profile: string
  const pageErrors: string[] = []

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found; ${INSTALL_HINT}`)
    cluster = await MockCluster.start({
      brokers: 3,
      topics: [{ name: 'orders', partitions: 3 }],
      ui: true,
      logger: false,
      groups: { initialRebalanceDelayMs: 0 },
    })
    profile = mkdtempSync(join(tmpdir(), 'tributary-chromium-'))
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1480, height: 1000 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
    page = context.pages()[0] ?? (await context.newPage())
    page.on('pageerror', (error) => pageErrors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text())
    })
  })

  afterAll(async () => {
    await context?.close()
    await cluster?.stop()
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true })
  })

  it('shows records produced with kcat as they arrive, and moves a leader at the press of a button', async () => {
    await page.goto(cluster.uiUrl as string)
    await page.getByTestId('live').filter({ hasText: 'live' }).waitFor({ timeout: WAIT_MS })
    const leader = page.getByTestId('leader-orders-0')
    await expect.poll(() => leader.textContent(), { timeout: WAIT_MS }).toBe('1')
    await expect.poll(() => page.getByTestId('records-info').textContent(), { timeout: WAIT_MS }).toMatch(/^0 record/)

    // Produced with kcat (librdkafka), no reload: the rows appear.
    await produceWithKcat(
      cluster.bootstrapBrokers,
      'orders',
      'order-1\t{"total":12,"currency":"EUR"}\norder-2\t{"total":30,"currency":"EUR"}\norder-3\tplain text\n',
    )
    const rows = page.locator('#records tbody tr')
    await expect.poll(() => rows.count(), { timeout: WAIT_MS }).toBe(3)
    const table = (await page.getByTestId('records').textContent()) ?? ''
    for (const text of ['order-1', 'order-2', 'order-3', '"total": 12', 'plain text']) expect(table).toContain(text)

    // The key search narrows the rows.
    await page.getByTestId('records-key').fill('ORDER-2')
    await expect.poll(() => rows.count(), { timeout: WAIT_MS }).toBe(1)
    await page.getByTestId('records-key').fill('')
    await expect.poll(() => rows.count(), { timeout: WAIT_MS }).toBe(3)

    // A fault button: move the leader of orders-0 to broker 2 (the first broker offered).
    expect(await page.getByTestId('move-to-orders-0').inputValue()).toBe('2')
    await page.getByTestId('move-orders-0').click()
    await expect.poll(() => leader.textContent(), { timeout: WAIT_MS }).toBe('2')
    expect(cluster.leaderOf('orders', 0)).toBe(2)

    // Stop and start a broker.
    await page.getByTestId('stop-broker-3').click()
    await expect.poll(() => page.getByTestId('broker-status-3').textContent(), { timeout: WAIT_MS }).toBe('down')
    expect(cluster.brokers[2]?.running).toBe(false)
    await page.getByTestId('start-broker-3').click()
    await expect.poll(() => page.getByTestId('broker-status-3').textContent(), { timeout: WAIT_MS }).toBe('up')

    // failNext from the form.
    const form = page.getByTestId('fail-form')
    await form.locator('select[name=api]').selectOption('Produce')
    await form.locator('select[name=errorCode]').selectOption('7')
    await form.locator('input[name=count]').fill('2')
    await form.locator('button[type=submit]').click()
    await expect
      .poll(() => page.getByTestId('failures').textContent(), { timeout: WAIT_MS })
      .toContain('REQUEST_TIMED_OUT (7)')

    // The live request log saw kcat's requests.
    await expect.poll(() => page.getByTestId('requests').textContent(), { timeout: WAIT_MS }).toContain('Produce v')
    expect(pageErrors).toEqual([])
  })

  it('shows groups, transactions and decoded values; a screenshot of it', async () => {
    cluster.clearFailures()
    const producer = new Producer<string, unknown>({
      clientId: 'checkout',
      bootstrapBrokers: cluster.bootstrapBrokers,
      serializers: { key: stringSerializer(), value: jsonSerializer() },
      transactionalId: 'checkout-tx',
    })
    const kafka = new Kafka({
      clientId: 'billing-service',
      brokers: cluster.bootstrapBrokers,
      logLevel: logLevel.NOTHING,
    })
    const consumer = kafka.consumer({ groupId: 'billing', maxWaitTimeInMs: 100 })
    try {
      await producer.transaction(async (tx) => {
        for (let i = 4; i <= 9; i++) {
          await tx.send({
            topic: 'orders',
            key: `order-${i}`,
            value: { total: i * 7, currency: 'EUR', items: i % 3 },
            headers: { source: 'checkout' },
          })
        }
      })
      await consumer.connect()
      await consumer.subscribe({ topics: ['orders'], fromBeginning: true })
      let consumed = 0
      await consumer.run({
        autoCommitInterval: 100,
        eachMessage: async () => {
          consumed++
        },
      })
      await expect.poll(() => consumed, { timeout: WAIT_MS }).toBeGreaterThanOrEqual(6)
      await expect
        .poll(() => page.getByTestId('groups').textContent(), { timeout: WAIT_MS })
        .toMatch(/billing.*Stable.*billing-service/)
      await expect
        .poll(() => page.getByTestId('transactions').textContent(), { timeout: WAIT_MS })
        .toMatch(/checkout-tx.*committed/)
      // A failure nothing here asks for, so that it stays pending in the picture.
      cluster.failNext('DeleteGroups', { errorCode: 15, count: 1, groupId: 'billing' })
      await expect
        .poll(() => page.getByTestId('failures').textContent(), { timeout: WAIT_MS })
        .toContain('DeleteGroups')
      await expect.poll(() => page.locator('#records tbody tr').count(), { timeout: WAIT_MS }).toBe(9)

      // No toast from the buttons above in the picture.
      await page.evaluate("document.getElementById('toast').style.display = 'none'")
      const target = process.env.TRIBUTARY_UPDATE_SCREENSHOT === '1' ? SCREENSHOT : join(profile, 'inspector.png')
      mkdirSync(join(target, '..'), { recursive: true })
      await page.screenshot({ path: target, fullPage: true })
      expect(statSync(target).size).toBeGreaterThan(10_000)
      expect(pageErrors).toEqual([])
    } finally {
      await consumer.disconnect()
      await producer.close()
    }
  })
})
