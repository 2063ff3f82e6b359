'use strict';
/*
 * 030.clock-synchronization: NTP-style timestamp exchanges with a UDP server (see ../input.py).
 *
 * Wall clock: Date.now() has millisecond steps, too coarse for sub-millisecond offsets, so the
 * function reads process.hrtime.bigint() (monotonic, nanoseconds) plus an offset fixed when the
 * module loads, at the instant Date.now() ticks over to the next millisecond (a busy wait of about
 * 1 ms): at that edge Date.now() is the wall clock to within a loop iteration. Whatever Date.now()
 * says, the function's clock says too (on the local platform that includes SEBS_CLOCK_OFFSET_MS).
 */
const dgram = require('dgram');

const MAX_CONSECUTIVE_LOSSES = 5;

const HR_TO_WALL_NS = (() => {
  // The tick happened between the previous Date.now() call and this one, so only a tick seen by two
  // reads less than 20 us apart pins the offset: a read preempted (or throttled by a CPU quota) in
  // between says nothing, and the loop waits for the next tick.
  const deadline = process.hrtime.bigint() + 200000000n;
  let previousMs = Date.now();
  let previousBefore = process.hrtime.bigint();
  let fallback = null;
  for (;;) {
    const before = process.hrtime.bigint();
    const ms = Date.now();
    const after = process.hrtime.bigint();
    if (ms === previousMs + 1 && after - previousBefore < 20000n) {
      return BigInt(ms) * 1000000n - (previousBefore + after) / 2n;
    }
    if (fallback === null && after - before < 20000n) {
      fallback = BigInt(ms) * 1000000n + 500000n - (before + after) / 2n;
    }
    if (after > deadline && fallback !== null) return fallback; // no clean tick: good to half a millisecond
    previousMs = ms;
    previousBefore = before;
  }
})();

function nowMicros() {
  return Number((process.hrtime.bigint() + HR_TO_WALL_NS) / 1000n);
}

function required(event, key) {
  if (!(key in event)) {
    throw new Error(`event['${key}'] is missing: the caller adds the timestamp server's address `
      + '(server-address, server-port) to the generated input');
  }
  return event[key];
}

exports.handler = async function (event) {
  const address = String(required(event, 'server-address'));
  const port = Number(required(event, 'server-port'));
  const repetitions = event.repetitions === undefined ? 10 : Number(event.repetitions);
  if (!Number.isInteger(repetitions) || repetitions < 1) {
    throw new Error(`event.repetitions must be a whole number of at least 1, got ${event.repetitions}`);
  }
  const timeoutMs = 1000 * (event.timeout === undefined ? 1 : Number(event.timeout));
  const requestId = String(event['request-id'] || 'sebs');

  const socket = dgram.createSocket('udp4');
  let pending = null; // { message, resolve, timer }
  let failure = null;
  socket.on('message', (reply) => {
    const t4 = nowMicros();
    if (pending === null) return;
    const text = reply.toString('utf8');
    const space = text.indexOf(' ');
    const head = space < 0 ? text : text.slice(0, space);
    if (head !== pending.message) return; // a late reply to an earlier datagram
    const parts = space < 0 ? [] : text.slice(space + 1).trim().split(/\s+/);
    const p = pending;
    pending = null;
    clearTimeout(p.timer);
    if (parts.length !== 2) {
      p.reject(new Error(`the server at ${address}:${port} does not stamp its replies (got '${text}'): `
        + '030.clock-synchronization needs a timestamp server'));
      return;
    }
    p.resolve({ t2: Number(parts[0]), t3: Number(parts[1]), t4 });
  });
  socket.on('error', (err) => {
    failure = err.code === 'ECONNREFUSED'
      ? new Error(`nothing listens on UDP ${address}:${port} (is the timestamp server running?)`)
      : err;
    if (pending !== null) {
      const p = pending;
      pending = null;
      clearTimeout(p.timer);
      p.reject(failure);
    }
  });
  await new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, address, () => { socket.removeListener('error', reject); resolve(); });
  });

  const exchanges = [];
  let lost = 0;
  let consecutive = 0;
  try {
    for (let i = 0; i <= repetitions; i++) { // exchange 0 warms the path up and is not reported
      const message = `${requestId}:${i}`;
      const reply = new Promise((resolve, reject) => {
        pending = { message, resolve, reject, timer: setTimeout(() => { pending = null; resolve(null); }, timeoutMs) };
      });
      const t1 = nowMicros();
      socket.send(message);
      const stamps = await reply;
      if (failure !== null) throw failure;
      if (stamps === null) {
        consecutive += 1;
        if (i > 0) lost += 1;
        if (consecutive >= MAX_CONSECUTIVE_LOSSES) {
          throw new Error(`${consecutive} datagrams in a row to ${address}:${port} got no reply within ${timeoutMs} ms`);
        }
        continue;
      }
      consecutive = 0;
      if (i > 0) {
        exchanges.push({ id: i, client_send: t1, server_rcv: stamps.t2, server_send: stamps.t3, client_rcv: stamps.t4 });
      }
    }
  } finally {
    socket.close();
  }
  return {
    result: { 'request-id': requestId, unit: 'us', lost, exchanges },
    measurement: { exchanges: exchanges.length, lost },
  };
};
