package io.sebs.junit.cost;

/**
 * What one invocation is billed, in SeBS's terms ({@code billing} of an invocation in the results):
 * billed memory and time, the resource units they make, and the price.
 *
 * @param memoryMb billed memory (the configured memory, rounded where the provider rounds)
 * @param billedMs billed time, rounded up to the provider's granularity and at least its minimum
 * @param gbSeconds {@code memoryMb / 1024 * billedMs / 1000}
 * @param ghzSeconds provisioned CPU clock times billed seconds, where CPU is billed by GHz-seconds (else 0)
 * @param vcpuSeconds allocated vCPUs times billed seconds, where CPU is billed by vCPU-seconds (else 0)
 * @param costUsd compute plus request price of this invocation
 * @param estimated true when the billed time is the function-side benchmark time because the platform
 *     reported none (always so on the local platform)
 */
public record Billing(int memoryMb, long billedMs, double gbSeconds, double ghzSeconds, double vcpuSeconds,
    double costUsd, boolean estimated) {}
