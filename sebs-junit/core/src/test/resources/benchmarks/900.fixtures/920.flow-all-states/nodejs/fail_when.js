exports.handler = async () => {
  throw new RangeError('planned failure');
};
