/**
 * What invocations cost: provider price tables kept as data ({@code prices.json}: AWS Lambda x86_64 and
 * arm64, Google Cloud Functions 1st and 2nd gen, Azure Functions, Cloudflare Workers, each with its source and date), and
 * {@link io.sebs.junit.cost.CostModel}, which bills an invocation from its billed time and memory. Start
 * with {@link io.sebs.junit.cost.CostModel}; {@link io.sebs.junit.cost.FunctionPricing} applies it to one
 * memory size, {@link io.sebs.junit.cost.SpendingLimit} caps what a series spends.
 */
package io.sebs.junit.cost;
