import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto'
import { AuthenticationError } from '../../errors/authentication-error.js'
import type { SaslMechanism, SaslSession } from './mechanism.js'

/** A SCRAM hash: its node:crypto name and output length. */
export interface ScramHash {
  /** The SASL mechanism name, e.g. `SCRAM-SHA-256`. */
  readonly mechanism: string
  /** node:crypto's digest name. */
  readonly digest: 'sha1' | 'sha256' | 'sha512'
  readonly bytes: number
  /** The fewest PBKDF2 iterations accepted from a server (Kafka's minimum, RFC 7677's advice). */
  readonly minIterations: number
}

export const SCRAM_SHA_256: ScramHash = { mechanism: 'SCRAM-SHA-256', digest: 'sha256', bytes: 32, minIterations: 4096 }
export const SCRAM_SHA_512: ScramHash = { mechanism: 'SCRAM-SHA-512', digest: 'sha512', bytes: 64, minIterations: 4096 }
/** Not offered to users (Kafka has no SCRAM-SHA-1); here for RFC 5802's own test vector. */
export const SCRAM_SHA_1: ScramHash = { mechanism: 'SCRAM-SHA-1', digest: 'sha1', bytes: 20, minIterations: 4096 }

/** `=` and `,` escaped as `=3D` and `=2C` (RFC 5802 section 5.1, saslname). */
export function escapeUsername(username: string): string {
  return username.replace(/=/g, '=3D').replace(/,/g, '=2C')
}

/** The GS2 header: no channel binding, no authorization identity; `c=` carries it base64-encoded. */
const GS2_HEADER = 'n,,'
const CHANNEL_BINDING = Buffer.from(GS2_HEADER).toString('base64')

/** Parses `a=1,b=2` into its attributes; a value may itself contain `=`. */
function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of message.split(',')) {
    const at = part.indexOf('=')
    if (at !== 1) continue
    out.set(part.slice(0, 1), part.slice(2))
  }
  return out
}

function hmac(hash: ScramHash, key: Buffer, data: string | Buffer): Buffer {
  return createHmac(hash.digest, key).update(data).digest()
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(a.length)
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) ^ (b[i] as number)
  return out
}

function pbkdf2Async(password: string, salt: Buffer, iterations: number, hash: ScramHash): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    pbkdf2(password, salt, iterations, hash.bytes, hash.digest, (error, key) => (error ? reject(error) : resolve(key))),
  )
}

/** Options of one SCRAM client exchange. */
export interface ScramClientOptions {
  hash: ScramHash
  username: string
  password: string
  /** `host:port`, for error messages. */
  broker: string
  /** The client nonce; random (24 bytes from crypto.randomBytes, base64) unless a test fixes it. */
  nonce?: string
}

/**
 * The client side of one SCRAM exchange (RFC 5802, RFC 7677): client-first, then client-final
 * with the proof, then verification of the server's signature, which proves the server knows the
 * credentials (a broker that does not is rejected with an AuthenticationError).
 */
export class ScramClient implements SaslSession {
  readonly expiresAt = undefined
  private readonly hash: ScramHash
  private readonly password: string
  private readonly broker: string
  private readonly nonce: string
  private readonly firstBare: string
  private state: 'initial' | 'first-sent' | 'final-sent' | 'done' = 'initial'
  private expectedServerSignature: Buffer | undefined

  constructor(options: ScramClientOptions) {
    this.hash = options.hash
    this.password = options.password
    this.broker = options.broker
    this.nonce = options.nonce ?? randomBytes(24).toString('base64')
    this.firstBare = `n=${escapeUsername(options.username)},r=${this.nonce}`
  }

  async start(): Promise<Buffer> {
    if (this.state !== 'initial') throw this.fail('the exchange was started twice')
    this.state = 'first-sent'
    return Buffer.from(`${GS2_HEADER}${this.firstBare}`, 'utf8')
  }

  async next(serverMessage: Buffer): Promise<Buffer | undefined> {
    const text = serverMessage.toString('utf8')
    if (this.state === 'first-sent') return Buffer.from(await this.clientFinal(text), 'utf8')
    if (this.state === 'final-sent') {
      this.verifyServerFinal(text)
      return undefined
    }
    throw this.fail(`unexpected server message in state ${this.state}`)
  }

  /** The client-final message for a server-first message (exported through `next`; public for tests). */
  async clientFinal(serverFirst: string): Promise<string> {
    const a = attributes(serverFirst)
    const error = a.get('e')
    if (error !== undefined) throw this.fail(`the server refused: ${error}`)
    if (a.has('m')) throw this.fail('the server requires a SCRAM extension this client does not support')
    const nonce = a.get('r')
    const saltText = a.get('s')
    const iterationsText = a.get('i')
    if (nonce === undefined || saltText === undefined || iterationsText === undefined) {
      throw this.fail(`malformed server-first message '${serverFirst}'`)
    }
    if (!nonce.startsWith(this.nonce) || nonce.length <= this.nonce.length) {
      throw this.fail('the server nonce does not extend the client nonce')
    }
    const iterations = /^\d+$/.test(iterationsText) ? Number(iterationsText) : Number.NaN
    if (!Number.isSafeInteger(iterations) || iterations < this.hash.minIterations) {
      throw this.fail(
        `the server asks for ${iterationsText} iterations, fewer than the minimum ${this.hash.minIterations}`,
      )
    }
    const salt = Buffer.from(saltText, 'base64')
    const salted = await pbkdf2Async(this.password, salt, iterations, this.hash)
    const clientKey = hmac(this.hash, salted, 'Client Key')
    const storedKey = createHash(this.hash.digest).update(clientKey).digest()
    const finalWithoutProof = `c=${CHANNEL_BINDING},r=${nonce}`
    const authMessage = `${this.firstBare},${serverFirst},${finalWithoutProof}`
    const clientSignature = hmac(this.hash, storedKey, authMessage)
    const proof = xor(clientKey, clientSignature)
    const serverKey = hmac(this.hash, salted, 'Server Key')
    this.expectedServerSignature = hmac(this.hash, serverKey, authMessage)
    this.state = 'final-sent'
    return `${finalWithoutProof},p=${proof.toString('base64')}`
  }

  /** Checks the server-final message's signature in constant time. */
  verifyServerFinal(serverFinal: string): void {
    const a = attributes(serverFinal)
    const error = a.get('e')
    if (error !== undefined) throw this.fail(`the server refused: ${error}`)
    const verifier = a.get('v')
    const expected = this.expectedServerSignature
    if (verifier === undefined || expected === undefined)
      throw this.fail(`malformed server-final message '${serverFinal}'`)
    const signature = Buffer.from(verifier, 'base64')
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      throw this.fail('the server signature does not match: the broker does not know the credentials')
    }
    this.state = 'done'
  }

  private fail(reason: string): AuthenticationError {
    this.state = 'done'
    return new AuthenticationError({ mechanism: this.hash.mechanism, broker: this.broker, reason })
  }
}

/** SCRAM-SHA-256 or SCRAM-SHA-512 with a username and password. */
export function scramMechanism(hash: ScramHash, username: string, password: string): SaslMechanism {
  return {
    name: hash.mechanism,
    session: (broker) => new ScramClient({ hash, username, password, broker }),
  }
}
