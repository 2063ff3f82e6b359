/**
 * Calibration: a reference workload timed on this machine in the same run, so that budgets can say "at most
 * k times the reference" and travel between a quiet laptop, a loaded shared runner and a slower CI machine.
 * Engine code, free of JUnit.
 *
 * <p>Read first {@link io.sebs.junit.calibration.Calibration} (a measured reference and the budgets derived
 * from it), then {@link io.sebs.junit.calibration.ReferenceWorkload} (what is timed, and how).
 */
package io.sebs.junit.calibration;
