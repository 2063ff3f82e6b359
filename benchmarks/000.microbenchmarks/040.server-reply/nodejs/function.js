'use strict';
/*
 * 040.server-reply: connect to event['ip-address']:event['port'] over TCP and return what the server
 * sends (up to 1024 bytes, until it closes the connection), with the connect and reply times in
 * microseconds. Same event and result as the Python version.
 */
const net = require('net');

const MAX_REPLY = 1024;
const TIMEOUT_MS = 20000;

function micros(startNs, endNs) {
  return Number((endNs - startNs) / 1000n);
}

exports.handler = function (event) {
  const host = event['ip-address'];
  const port = Number(event.port);
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let t1 = t0;
    const chunks = [];
    let length = 0;
    const socket = net.connect({ host, port });
    const finish = () => {
      socket.destroy();
      const t2 = process.hrtime.bigint();
      const reply = Buffer.concat(chunks).subarray(0, MAX_REPLY).toString('utf8');
      resolve({ result: reply, measurement: { connect_time: micros(t0, t1), reply_time: micros(t1, t2) } });
    };
    socket.setTimeout(TIMEOUT_MS, () => {
      socket.destroy();
      reject(new Error(`no reply from ${host}:${port} within ${TIMEOUT_MS} ms`));
    });
    socket.on('connect', () => { t1 = process.hrtime.bigint(); });
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= MAX_REPLY) finish();
    });
    socket.on('end', finish);
    socket.on('error', reject);
  });
};
