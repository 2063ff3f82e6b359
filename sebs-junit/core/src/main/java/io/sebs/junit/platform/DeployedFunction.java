package io.sebs.junit.platform;

import io.sebs.junit.benchmark.FunctionSpec;

/** A function a platform has deployed: its platform name, what it was built from, and its code hash. */
public record DeployedFunction(String name, FunctionSpec spec, String codeHash) {}
