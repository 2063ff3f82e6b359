/**
 * SeBS's invocation-overhead experiment: {@link io.sebs.junit.experiment.overhead.InvocationOverhead} (start
 * here) measures, per payload size, the time from the client sending a request to the function starting,
 * with the function's clock corrected by clock synchronisation; the result is an
 * {@link io.sebs.junit.experiment.overhead.InvocationOverheadResult}.
 */
package io.sebs.junit.experiment.overhead;
