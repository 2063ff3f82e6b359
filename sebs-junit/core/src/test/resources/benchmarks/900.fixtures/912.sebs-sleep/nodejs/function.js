// Fixture in SeBS master's conventions: exports.handler(event) is async and returns {result: ...}.
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

exports.handler = async function (event) {
  const seconds = event.sleep;
  await pause(seconds * 1000);
  return { result: seconds };
};
