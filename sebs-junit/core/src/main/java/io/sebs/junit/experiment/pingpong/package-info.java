/**
 * SeBS's network-ping-pong experiment: {@link io.sebs.junit.experiment.pingpong.NetworkPingPong} (start here)
 * measures the UDP round-trip times between a function and the test JVM; the result is a
 * {@link io.sebs.junit.experiment.pingpong.PingPongResult}.
 */
package io.sebs.junit.experiment.pingpong;
