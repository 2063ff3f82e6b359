exports.handler = async function (event) {
  if (event.boom) throw new Error('boom requested');
  const n = Number(event.n);
  return { n, items: Array.from({ length: n }, (_, i) => i + 1), counter: 0, seen_request_id: event['request-id'] };
};
