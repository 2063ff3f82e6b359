exports.handler = async (event) => event.items.reduce((a, b) => a + b, 0);
