'use strict';
// 630.parallel-sleep, state "process" (inside the map over "buffer"): sleeps, then reports it.
exports.handler = async function (event) {
  const { sleep } = event;
  if (typeof sleep !== 'number' || !(sleep >= 0)) {
    throw new TypeError(`event.sleep must be a non-negative number of seconds, got ${JSON.stringify(sleep)}`);
  }
  // setTimeout may fire a little early; wait until the full time has passed on the monotonic clock.
  const deadline = process.hrtime.bigint() + BigInt(Math.round(sleep * 1e9));
  for (;;) {
    const remainingNs = deadline - process.hrtime.bigint();
    if (remainingNs <= 0n) break;
    await new Promise((resolve) => setTimeout(resolve, Math.ceil(Number(remainingNs) / 1e6)));
  }
  return { slept: sleep };
};
