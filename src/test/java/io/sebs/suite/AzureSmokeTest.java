package io.sebs.suite;

import io.sebs.junit.Platform;

/**
 * The live smoke subset ({@link CloudSmokeTest}) for Azure Functions (Flex Consumption): runs only with {@code
 * -Dsebs.platform=azure} (skipped, with the reason, on every other platform) and needs Azure credentials and a
 * subscription (see README, "Azure Functions"); without them the run fails saying how to provide them. CI runs it
 * against the local stand-in of Azure; .github/workflows/azure-live.yml against a real subscription. Provider times
 * are Application Insights' FunctionExecutionTimeMs, matched by invocation id. Deployed functions stay for reuse;
 * remove them with {@code io.sebs.junit.platform.azure.AzureResources --delete}.
 */
@Platform("azure")
class AzureSmokeTest extends CloudSmokeTest {}
