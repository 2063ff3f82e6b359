/**
 * What a run leaves behind: {@link io.sebs.junit.report.ResultsWriter} (SeBS-style JSON and CSV per
 * measured test) and {@link io.sebs.junit.report.AllureReport} (parameters, steps, attachments).
 */
package io.sebs.junit.report;
