/**
 * Clock synchronisation between the test JVM and a function: {@link io.sebs.junit.experiment.clock.TimestampServer}
 * (the UDP server on the JVM's side of 030.clock-synchronization and 020.network-benchmark),
 * {@link io.sebs.junit.experiment.clock.ClockExchange} (one t1..t4 exchange) and
 * {@link io.sebs.junit.experiment.clock.ClockOffsetEstimator}, which turns exchanges into a
 * {@link io.sebs.junit.experiment.clock.ClockOffsetEstimate}. Start with the estimator.
 */
package io.sebs.junit.experiment.clock;
