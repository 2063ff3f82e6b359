exports.handler = async (event) => event * event;
