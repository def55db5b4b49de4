import { MessageChannel, Worker, receiveMessageOnPort, } from 'node:worker_threads';
/**
 * The daemon's MIGRATE connections. Redis talks to the target with blocking socket calls while
 * the whole server waits; Node has no blocking sockets, so a worker thread owns them and the
 * main thread waits for each answer (Atomics.wait), which gives the same: nothing else runs
 * while MIGRATE waits for its target.
 */
export class SocketMigration {
    worker = null;
    port = null;
    signal = new Int32Array(new SharedArrayBuffer(4));
    nextRequest = 1;
    nextConnection = 1;
    connect(host, port, timeoutMs) {
        const id = this.nextConnection++;
        const reply = this.call({ op: 'connect', id, host, port, timeout: timeoutMs }, timeoutMs);
        if (reply !== 'ok')
            return null;
        return {
            write: (bytes, timeout) => {
                const result = this.call({ op: 'write', id, bytes, timeout }, timeout);
                return result === 'ok' || result === 'timeout' ? result : 'error';
            },
            readLine: (timeout) => {
                const result = this.call({ op: 'read', id, timeout }, timeout);
                if (result === 'timeout' || result === 'error')
                    return result;
                return typeof result === 'object' && result !== null ? result.line : 'error';
            },
            close: () => {
                this.port?.postMessage({ op: 'close', id, request: 0 });
            },
        };
    }
    /** Stops the worker (and with it every connection). */
    close() {
        void this.worker?.terminate();
        this.worker = null;
        this.port = null;
    }
    /** Sends a request to the worker and waits, blocking this thread, for its answer. */
    call(message, timeoutMs) {
        const port = this.start();
        const request = this.nextRequest++;
        Atomics.store(this.signal, 0, 0);
        port.postMessage({ ...message, request });
        // The worker answers within the timeout; past it and a margin (the worker's own start on
        // first use), the answer is given up on.
        const deadline = Date.now() + timeoutMs + 10_000;
        for (;;) {
            const left = deadline - Date.now();
            if (left <= 0)
                return 'timeout';
            Atomics.wait(this.signal, 0, 0, left);
            // Cleared before looking: an answer posted meanwhile signals again.
            Atomics.store(this.signal, 0, 0);
            // Answers to requests given up on before are dropped.
            for (let received = receiveMessageOnPort(port); received;) {
                const answer = received.message;
                if (answer.request === request)
                    return answer.result;
                received = receiveMessageOnPort(port);
            }
        }
    }
    start() {
        if (this.port !== null)
            return this.port;
        const { port1, port2 } = new MessageChannel();
        const worker = new Worker(WORKER_SOURCE, {
            eval: true,
            workerData: { port: port2, signal: this.signal },
            transferList: [port2],
        });
        worker.unref();
        this.worker = worker;
        this.port = port1;
        return port1;
    }
}
/**
 * The worker: one socket per connection id; `read` answers one line (CRLF stripped), as
 * Redis's syncReadLine. Every answer is posted, then signalled.
 */
const WORKER_SOURCE = `
const net = require('node:net');
const { workerData } = require('node:worker_threads');
const { port, signal } = workerData;
const connections = new Map();

function answer(request, result) {
  if (request === 0) return;
  port.postMessage({ request, result });
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function withTimeout(request, timeout, start, timedOut = () => undefined) {
  let done = false;
  const finish = (result) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    answer(request, result);
  };
  const timer = setTimeout(() => {
    timedOut();
    finish('timeout');
  }, timeout);
  start(finish);
}

function tryRead(connection) {
  const waiter = connection.waiter;
  if (waiter === null) return;
  const end = connection.buffer.indexOf(10);
  if (end !== -1) {
    let line = connection.buffer.subarray(0, end);
    connection.buffer = connection.buffer.subarray(end + 1);
    if (line.length > 0 && line[line.length - 1] === 13) line = line.subarray(0, line.length - 1);
    connection.waiter = null;
    waiter({ line: line.toString('latin1') });
  } else if (connection.failed) {
    connection.waiter = null;
    waiter('error');
  }
}

port.on('message', (message) => {
  const { op, id, request } = message;
  if (op === 'connect') {
    // As Redis's connBlockingConnect, only a name that does not resolve fails to connect: a
    // refused or slow connection is "made", and fails the first write.
    {
      let done = false;
      const finish = (result) => {
        if (done) return;
        done = true;
        answer(request, result);
      };
      const socket = net.connect({ host: message.host, port: message.port });
      const connection = { socket, buffer: Buffer.alloc(0), failed: null, waiter: null };
      socket.setNoDelay(true);
      socket.on('data', (chunk) => {
        connection.buffer = Buffer.concat([connection.buffer, chunk]);
        tryRead(connection);
      });
      const fail = (kind) => {
        connection.failed ??= kind;
        tryRead(connection);
      };
      socket.on('error', (error) => {
        if (!connections.has(id) && error.syscall === 'getaddrinfo') return finish('error');
        fail('error');
        connections.set(id, connection);
        finish('ok');
      });
      socket.on('close', () => fail('error'));
      socket.once('connect', () => {
        connections.set(id, connection);
        finish('ok');
      });
      setTimeout(() => {
        if (done) return;
        fail('timeout');
        socket.destroy();
        connections.set(id, connection);
        finish('ok');
      }, message.timeout).unref();
    }
  } else if (op === 'write') {
    const connection = connections.get(id);
    if (!connection) return answer(request, 'error');
    if (connection.failed) return answer(request, connection.failed);
    withTimeout(request, message.timeout, (finish) => {
      connection.socket.write(Buffer.from(message.bytes), (error) => finish(error ? 'error' : 'ok'));
    });
  } else if (op === 'read') {
    const connection = connections.get(id);
    if (!connection) return answer(request, 'error');
    withTimeout(
      request,
      message.timeout,
      (finish) => {
        connection.waiter = (result) => finish(result);
        tryRead(connection);
      },
      () => {
        connection.waiter = null;
      },
    );
  } else if (op === 'close') {
    const connection = connections.get(id);
    if (connection) connection.socket.destroy();
    connections.delete(id);
  }
});
`;
//# sourceMappingURL=migration.js.map