import { existsSync } from 'node:fs'
import net from 'node:net'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Producer, stringSerializer } from '@tributary/core'
import { until } from '@tributary/test-support/async'
import { useTestCertificates } from '@tributary/test-support/certificates'
import { consumeWithKcat, kcat, kcatProperties, produceWithKcat } from '@tributary/test-support/kcat'
import { killChildren, type RunningChild, run, start } from '@tributary/test-support/processes'
import { afterEach, describe, expect, it } from 'vitest'

// The tributary-mock CLI's security, registry and inspector flags, its usage errors and exit codes,
// run as a separate process from its TypeScript sources (tsx, the @tributary/source condition), with
// kcat (librdkafka) as the client.

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
const NODE_ARGS = ['--conditions=@tributary/source', '--import', 'tsx', CLI]

/** Runs the CLI to its exit; rejects with the exit code and stderr unless it exits 0. */
function runCli(args: string[]) {
  return run(process.execPath, [...NODE_ARGS, ...args], { timeoutMs: 30_000 })
}

interface Started {
  child: RunningChild
  brokers: string[]
  line(prefix: string): string
}

/** Starts the CLI on free ports and resolves once it printed 'Press Ctrl-C to stop.'. */
async function startCli(args: string[]): Promise<Started> {
  const child = await start(process.execPath, [...NODE_ARGS, '--port', '0', ...args])
  await until(async () => {
    if (child.lines.includes('Press Ctrl-C to stop.')) return true
    const exited = await Promise.race([child.exited, Promise.resolve(undefined)])
    if (exited !== undefined) throw new Error(`exited with ${exited.code}: ${child.stderr()}`)
    return false
  }, `the CLI started (stderr: ${child.stderr()})`)
  const line = (prefix: string) => {
    const found = child.lines.find((l) => l.trimStart().startsWith(prefix))
    if (found === undefined) throw new Error(`no line starting '${prefix}' in:\n${child.lines.join('\n')}`)
    return found.trim()
  }
  const listening = /listening on (\S+)/.exec(line('tributary-mock:'))?.[1] as string
  return { child, brokers: listening.split(','), line }
}

/** Sends a signal and resolves with the exit code. */
async function stopCli(cli: Started, signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> {
  cli.child.child.kill(signal)
  return (await cli.child.exited).code
}

function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) })
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(true))
  })
}

describe('tributary-mock flags', () => {
  const certificates = useTestCertificates()
  afterEach(() => killChildren())

  it('--help lists every flag and exits 0', async () => {
    const { stdout, stderr } = await runCli(['--help'])
    for (const flag of ['--sasl ', '--sasl-mechanisms', '--tls ', '--tls-cert', '--tls-key', '--registry', '--ui']) {
      expect(stdout).toContain(flag)
    }
    expect(stdout).toMatch(/Exit code 2 means bad\s+usage, 1 a failure at run time/)
    expect(stdout).toMatch(/there is no --data directory/)
    expect(stderr).toBe('')
  })

  it.each([
    { args: ['--data', '/tmp/kafka'], message: /--data is not supported: records live in memory only/ },
    { args: ['--tls', '--tls-cert', 'a.pem', '--tls-key', 'a.key'], message: /--tls makes its own certificate/ },
    { args: ['--tls-cert', 'a.pem'], message: /--tls-cert and --tls-key go together/ },
    {
      args: ['--tls-cert', '/nonexistent/cert.pem', '--tls-key', '/nonexistent/key.pem'],
      message: /cannot read --tls-cert \/nonexistent\/cert\.pem: ENOENT/,
    },
    { args: ['--sasl', 'alice'], message: /invalid --sasl alice: want user:password/ },
    { args: ['--sasl', 'a:b', '--sasl-mechanisms', 'GSSAPI'], message: /unknown SASL mechanism GSSAPI/ },
    { args: ['--sasl-mechanisms', 'SCRAM-SHA-256'], message: /needs users: --sasl user:password/ },
    { args: ['--registry', '70000'], message: /invalid --registry port 70000/ },
    { args: ['--ui', '--bogus'], message: /Unknown option '--bogus' \(--help lists the options\)/ },
  ])('exits 2 for $args', async ({ args, message }) => {
    const error = await runCli(['--port', '0', ...args]).then(
      () => new Error('exited 0'),
      (e: Error) => e,
    )
    expect(error.message).toMatch(/failed with exit code 2:\ntributary-mock: /)
    expect(error.message).toMatch(message)
  })

  it('exits 1 when it cannot listen (a port in use)', async () => {
    const server = net.createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as net.AddressInfo).port
    try {
      const error = await runCli(['--port', String(port)]).then(
        () => new Error('exited 0'),
        (e: Error) => e,
      )
      expect(error.message).toMatch(/failed with exit code 1:\ntributary-mock: .*EADDRINUSE/)
    } finally {
      server.close()
    }
  })

  it('--sasl users: kcat authenticates with PLAIN and SCRAM; a wrong password is refused', async () => {
    const cli = await startCli(['--sasl', 'alice:alice-secret,bob:pass:with:colons', '--topic', 'orders'])
    expect(cli.line('security protocol')).toBe(
      'security protocol SASL_PLAINTEXT: mechanisms PLAIN, SCRAM-SHA-256, SCRAM-SHA-512; users alice, bob',
    )
    const as = (mechanism: string, username: string, password: string) => ({
      'security.protocol': 'sasl_plaintext',
      'sasl.mechanisms': mechanism,
      'sasl.username': username,
      'sasl.password': password,
    })
    await produceWithKcat(cli.brokers, 'orders', 'k1\tv1\n', {
      properties: as('SCRAM-SHA-512', 'bob', 'pass:with:colons'),
    })
    await produceWithKcat(cli.brokers, 'orders', 'k2\tv2\n', {
      properties: as('SCRAM-SHA-256', 'alice', 'alice-secret'),
    })
    const read = await consumeWithKcat(cli.brokers, 'orders', { properties: as('PLAIN', 'alice', 'alice-secret') })
    expect(read.map((m) => `${m.key}=${m.payload}`)).toEqual(['k1=v1', 'k2=v2'])
    await expect(
      kcat(['-L', '-b', cli.brokers.join(','), '-m', '5', ...kcatProperties(as('PLAIN', 'alice', 'wrong'))], {
        timeoutMs: 30_000,
      }),
    ).rejects.toThrow(/Authentication failed|Invalid username or password/)
    expect(await stopCli(cli)).toBe(0)
  })

  it('--sasl-mechanisms enables only the mechanisms named', async () => {
    const cli = await startCli(['--sasl', 'alice:secret', '--sasl-mechanisms', 'scram-sha-512'])
    expect(cli.line('security protocol')).toMatch(/mechanisms SCRAM-SHA-512; users alice$/)
    const props = (mechanism: string) =>
      kcatProperties({
        'security.protocol': 'sasl_plaintext',
        'sasl.mechanisms': mechanism,
        'sasl.username': 'alice',
        'sasl.password': 'secret',
      })
    await kcat(['-L', '-b', cli.brokers.join(','), ...props('SCRAM-SHA-512')], { timeoutMs: 30_000 })
    await expect(
      kcat(['-L', '-b', cli.brokers.join(','), '-m', '5', ...props('PLAIN')], { timeoutMs: 30_000 }),
    ).rejects.toThrow(/failed with exit code/)
    expect(await stopCli(cli, 'SIGTERM')).toBe(0)
  })

  it('--tls makes a throwaway CA that kcat trusts, prints its path and deletes it at exit', async () => {
    const cli = await startCli(['--tls', '--topic', 'secure:2'])
    const caPath = /: (\S+ca\.pem)$/.exec(cli.line('TLS CA certificate'))?.[1] as string
    expect(existsSync(caPath)).toBe(true)
    expect(cli.line('security protocol')).toBe('security protocol SSL')
    expect(cli.line('e.g. kcat')).toContain(`-X security.protocol=ssl -X ssl.ca.location=${caPath}`)
    const tls = { 'security.protocol': 'ssl', 'ssl.ca.location': caPath }
    await produceWithKcat(cli.brokers, 'secure', 'k\tover tls\n', { properties: tls })
    const read = await consumeWithKcat(cli.brokers, 'secure', { properties: tls })
    expect(read.map((m) => m.payload)).toEqual(['over tls'])
    // A client trusting another CA refuses the broker.
    await expect(
      kcat(
        [
          '-L',
          '-b',
          cli.brokers.join(','),
          '-m',
          '5',
          ...kcatProperties({ ...tls, 'ssl.ca.location': certificates.path('other-ca.pem') }),
        ],
        { timeoutMs: 30_000 },
      ),
    ).rejects.toThrow(/failed with exit code/)
    expect(await stopCli(cli, 'SIGTERM')).toBe(0)
    expect(existsSync(dirname(caPath))).toBe(false)
  })

  it('--tls-cert and --tls-key with --sasl: a SASL_SSL listener', async () => {
    const cli = await startCli([
      '--tls-cert',
      certificates.path('server.pem'),
      '--tls-key',
      certificates.path('server.key'),
      '--sasl',
      'alice:secret',
      '--topic',
      'orders',
    ])
    expect(cli.line('security protocol')).toMatch(/^security protocol SASL_SSL: /)
    const props = {
      'security.protocol': 'sasl_ssl',
      'ssl.ca.location': certificates.path('ca.pem'),
      'sasl.mechanisms': 'SCRAM-SHA-256',
      'sasl.username': 'alice',
      'sasl.password': 'secret',
    }
    await produceWithKcat(cli.brokers, 'orders', 'k\tsasl over tls\n', { properties: props })
    expect((await consumeWithKcat(cli.brokers, 'orders', { properties: props })).map((m) => m.payload)).toEqual([
      'sasl over tls',
    ])
    expect(await stopCli(cli)).toBe(0)
  })

  it('--registry runs a schema registry beside the cluster, and --ui decodes records through it', async () => {
    const cli = await startCli(['--ui', '--registry', '0', '--topic', 'users'])
    const registryUrl = /: (http:\S+)$/.exec(cli.line('schema registry'))?.[1] as string
    const uiUrl = /: (http:\S+)$/.exec(cli.line('web inspector'))?.[1] as string
    expect(uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(await (await fetch(`${registryUrl}/subjects`)).json()).toEqual([])
    const registered = await fetch(`${registryUrl}/subjects/users-value/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schemaType: 'JSON', schema: '{"type":"object"}' }),
    })
    const { id } = (await registered.json()) as { id: number }

    const producer = new Producer<string, Buffer>({
      bootstrapBrokers: cli.brokers,
      serializers: { key: stringSerializer(), value: (v) => v },
    })
    const header = Buffer.alloc(5)
    header.writeUInt32BE(id, 1)
    await producer.send({ topic: 'users', key: 'u-1', value: Buffer.concat([header, Buffer.from('{"name":"Ada"}')]) })
    await producer.close()

    const page = (await (await fetch(new URL('/api/records?topic=users', uiUrl))).json()) as {
      records: Array<{ value: { schema?: { id: number; type: string; json: string } } }>
    }
    expect(page.records[0]?.value.schema).toMatchObject({ id, type: 'JSON' })
    expect(JSON.parse(page.records[0]?.value.schema?.json as string)).toEqual({ name: 'Ada' })
    const html = await (await fetch(uiUrl)).text()
    expect(html).toContain('Tributary mock cluster')

    expect(await stopCli(cli)).toBe(0)
    expect(await refused(uiUrl)).toBe(true)
    expect(await refused(registryUrl)).toBe(true)
    expect(await refused(`http://${cli.brokers[0]}`)).toBe(true)
  })
})
