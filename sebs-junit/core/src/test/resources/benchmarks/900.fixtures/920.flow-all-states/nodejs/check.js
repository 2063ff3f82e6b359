exports.handler = async (event) => {
  if (!Number.isInteger(event) || event < 0) throw new TypeError(`not a non-negative number: ${event}`);
  return { checked: event };
};
