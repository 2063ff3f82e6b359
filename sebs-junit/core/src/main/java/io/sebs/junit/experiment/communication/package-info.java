/**
 * The communication experiment: latency and throughput of passing messages between two function
 * instances through object storage, NoSQL and Redis. Start with
 * {@link io.sebs.junit.experiment.communication.Communication}; results are a
 * {@link io.sebs.junit.experiment.communication.CommunicationResult}.
 */
package io.sebs.junit.experiment.communication;
