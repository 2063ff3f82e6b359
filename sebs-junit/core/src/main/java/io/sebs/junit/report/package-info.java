/**
 * What a run leaves behind: {@link io.sebs.junit.report.ResultsWriter} (SeBS-style JSON and CSV per
 * measured test), {@link io.sebs.junit.report.MeasurementCharts} (latency CDF and histograms as PNGs next to
 * them), {@link io.sebs.junit.report.AllureReport} (parameters, steps, attachments) and, while a long series
 * runs, {@link io.sebs.junit.report.ConsoleProgress}. Experiments draw their own charts with
 * {@link io.sebs.junit.report.Charts} (start there to add a chart) and write them through
 * {@code ExperimentScope.writeChart}, which uses {@link io.sebs.junit.report.ChartFile} so that a chart that
 * cannot be drawn is logged and never fails the test.
 */
package io.sebs.junit.report;
