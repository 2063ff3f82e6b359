'use strict';
// Reports the function's wall clock in epoch microseconds: Date.now, new Date, performance's origin + now.
const { performance } = require('perf_hooks');

exports.handler = async function () {
  return {
    result: {
      date_now: Date.now() * 1000,
      new_date: new Date().getTime() * 1000,
      performance: Math.floor((performance.timeOrigin + performance.now()) * 1000),
      global_performance: Math.floor((globalThis.performance.timeOrigin + globalThis.performance.now()) * 1000),
    },
  };
};
