import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'

/**
 * The HTTP server a Google API fake answers on: 127.0.0.1, a random port, and a close that ends the
 * connections clients keep alive (so a test never waits for them).
 */
export class LocalServer {
  private readonly sockets = new Set<Socket>()
  private handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end()

  private constructor(private readonly server: Server) {
    server.on('connection', (s) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
  }

  /** Starts listening; {@link answer} says who answers the requests. */
  static async start(): Promise<LocalServer> {
    const server = createServer()
    const local = new LocalServer(server)
    server.on('request', (req: IncomingMessage, res: ServerResponse) => local.handler(req, res))
    await new Promise<void>((resolve) => local.server.listen(0, '127.0.0.1', resolve))
    return local
  }

  /** Sends every request to `handle` from now on. */
  answer(handle: (req: IncomingMessage, res: ServerResponse) => void): void {
    this.handler = handle
  }

  /** `127.0.0.1:<port>`, the value for an API's emulator variable. */
  get host(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}
