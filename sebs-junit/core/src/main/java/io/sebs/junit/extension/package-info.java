/**
 * The JUnit 5 glue, kept thin: {@link io.sebs.junit.extension.SebsExtension} (registered by every
 * sebs-junit annotation) checks annotations, owns the run in the root {@code ExtensionContext.Store}, and
 * delegates measuring to the engine ({@code io.sebs.junit.run}, {@code io.sebs.junit.experiment}).
 * Start reading at {@code SebsExtension}.
 */
package io.sebs.junit.extension;
