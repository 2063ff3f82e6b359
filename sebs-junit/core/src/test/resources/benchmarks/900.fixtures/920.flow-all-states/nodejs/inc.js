exports.handler = async (event) => Object.assign({}, event, { counter: event.counter + 1 });
