'use strict';

// 010.sleep: wait for event.sleep seconds (0 and fractions allowed), then echo it.
exports.handler = async function (event) {
  const seconds = event.sleep;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw new Error(`event.sleep must be a number of seconds, got ${JSON.stringify(seconds)}`);
  }
  if (seconds < 0) {
    throw new Error(`event.sleep must not be negative, got ${seconds}`);
  }
  if (seconds > 0) {
    // setTimeout waits at least 1 ms even for 0, so sleeping 0 s does not wait: 0 measures the overhead alone
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
  return { result: seconds };
};
