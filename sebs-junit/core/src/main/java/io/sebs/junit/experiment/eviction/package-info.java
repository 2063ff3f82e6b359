/**
 * SeBS's eviction model as an injectable experiment: how long a platform keeps idle function instances
 * alive. Start with {@link io.sebs.junit.experiment.eviction.EvictionModel}; its
 * {@link io.sebs.junit.experiment.eviction.EvictionResult} holds the table and the idle-time curve.
 */
package io.sebs.junit.experiment.eviction;
