package io.sebs.suite;

import io.sebs.junit.Platform;

/**
 * The live smoke subset ({@link CloudSmokeTest}) for Google Cloud Functions (2nd gen): runs only with {@code
 * -Dsebs.platform=gcp} (skipped, with the reason, on every other platform) and needs Google credentials and a
 * project (see README, "Google Cloud Functions"); without them the run fails saying how to provide them. CI runs it
 * against the local stand-in of Google's APIs; .github/workflows/gcp-live.yml against a real project. Provider
 * times are Cloud Run's request latencies from Cloud Logging, matched by trace. Deployed functions stay for reuse;
 * remove them with {@code io.sebs.junit.platform.gcp.GcpResources --delete}.
 */
@Platform("gcp")
class GcpSmokeTest extends CloudSmokeTest {}
