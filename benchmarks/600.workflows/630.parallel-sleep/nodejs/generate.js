'use strict';
// 630.parallel-sleep, state "generate": one work item per sleeper (see ../python/generate.py).
exports.handler = async function (event) {
  const { count, sleep } = event;
  if (!Number.isInteger(count) || count < 0) {
    throw new TypeError(`event.count must be a non-negative integer, got ${JSON.stringify(count)}`);
  }
  if (typeof sleep !== 'number' || !(sleep >= 0)) {
    throw new TypeError(`event.sleep must be a non-negative number of seconds, got ${JSON.stringify(sleep)}`);
  }
  return { buffer: Array.from({ length: count }, () => ({ sleep })) };
};
