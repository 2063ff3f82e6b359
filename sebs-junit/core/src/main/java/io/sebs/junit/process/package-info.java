/** Short-lived external commands (pip, npm, the input bridge) with time limits and captured output. */
package io.sebs.junit.process;
