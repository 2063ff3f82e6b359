exports.handler = async (event) => event.array_element * event.n;
