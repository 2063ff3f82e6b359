exports.handler = async function (event) {
  if (event.allocate_mb) {
    // Filled, not zeroed, so every page is touched and counts in the resident set.
    Buffer.alloc(event.allocate_mb * 1024 * 1024, 1);
  }
  if (event.sleep) {
    await new Promise((resolve) => setTimeout(resolve, event.sleep * 1000));
  }
  if (event.fail) {
    throw new Error(event.fail);
  }
  if (event.crash) {
    process.exit(3);
  }
  return { result: { echo: event, pid: process.pid }, measurement: { slept_s: event.sleep || 0 } };
};
