/** Run configuration: every {@code sebs.*} key, read through {@link io.sebs.junit.config.SebsConfig}. */
package io.sebs.junit.config;
