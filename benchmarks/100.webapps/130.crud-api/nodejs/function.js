'use strict';

// 130.crud-api: a shopping-cart API over the NoSQL table "shopping_cart".
// An event holds `requests`, a list of {route, body[, path]} served in order (the result is the list
// of answers), or is a single such request (the result is its answer). Routes:
//   PUT /cart        stores body's product row in cart body.cart
//   GET /cart/{id}   the row of product path.id in cart body.cart, or null
//   GET /cart        every row of cart body.cart with the totals
const nosql = require('./nosql');

const TABLE = 'shopping_cart';
const PRIMARY_KEY = 'cart_id';
const SECONDARY_KEY = 'product_id';

const client = nosql.nosql.get_instance();

function number(value, what) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${what} must be a number, got ${JSON.stringify(value)}`);
  }
  return value;
}

function row(item) {
  return {
    cart_id: item[PRIMARY_KEY],
    product_id: item[SECONDARY_KEY],
    name: item.name === undefined ? null : item.name,
    price: item.price === undefined ? null : item.price,
    quantity: item.quantity === undefined ? null : item.quantity,
  };
}

async function putProduct(body) {
  const cart = body.cart;
  const productId = body.product_id;
  await client.insert(TABLE, [PRIMARY_KEY, cart], [SECONDARY_KEY, productId], {
    name: body.name,
    price: number(body.price, 'price'),
    quantity: number(body.quantity, 'quantity'),
  });
  return { cart_id: cart, product_id: productId };
}

async function getProduct(cart, productId) {
  const item = await client.get(TABLE, [PRIMARY_KEY, cart], [SECONDARY_KEY, productId]);
  return item === null ? null : row(item);
}

async function getCart(cart) {
  const rows = (await client.query(TABLE, [PRIMARY_KEY, cart], SECONDARY_KEY)).map(row);
  rows.sort((a, b) => (a.product_id < b.product_id ? -1 : a.product_id > b.product_id ? 1 : 0));
  let totalQuantity = 0;
  let totalCost = 0;
  for (const r of rows) {
    totalQuantity += r.quantity;
    totalCost += r.price * r.quantity;
  }
  return {
    cart_id: cart,
    products: rows,
    total_quantity: totalQuantity,
    total_cost: totalCost,
    avg_price: totalQuantity ? totalCost / totalQuantity : 0,
  };
}

async function serve(request) {
  const route = request.route;
  const body = request.body || {};
  if (route === 'PUT /cart') return putProduct(body);
  if (route === 'GET /cart/{id}') return getProduct(body.cart, request.path.id);
  if (route === 'GET /cart') return getCart(body.cart);
  throw new Error(`unknown route ${JSON.stringify(route)}; known: PUT /cart, GET /cart/{id}, GET /cart`);
}

exports.handler = async function (event) {
  const begin = process.hrtime.bigint();
  let result;
  let count;
  if (Object.prototype.hasOwnProperty.call(event, 'requests')) {
    if (!Array.isArray(event.requests)) throw new Error('event.requests must be a list of requests');
    result = [];
    for (const request of event.requests) result.push(await serve(request)); // in order, as sent
    count = event.requests.length;
  } else {
    result = await serve(event);
    count = 1;
  }
  return {
    result,
    measurement: { requests: count, compute_time: Number((process.hrtime.bigint() - begin) / 1000n) },
  };
};
