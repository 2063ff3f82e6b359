package io.sebs.junit.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command runs a short-lived tool to completion within a time limit and explains its failures. */
class CommandTest {

  @TempDir
  Path tmp;

  private static void assertDiesSoon(long pid) throws Exception {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isPresent()) {
      handle.get().onExit().get(10, TimeUnit.SECONDS);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d alive", pid).isFalse();
  }

  private static long readPid(Path file) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file)) {
        String text = Files.readString(file).strip();
        if (!text.isEmpty()) {
          return Long.parseLong(text);
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no pid in " + file);
  }

  @Nested
  class ARunThatFinishes {

    @Test
    void capturesStdoutStderrAndTheExitCode() {
      Command.Result result = Command.of("sh", "-c", "echo out; echo err >&2; exit 3").run();

      assertThat(result.exitCode()).isEqualTo(3);
      assertThat(result.succeeded()).isFalse();
      assertThat(result.stdout()).isEqualTo("out\n");
      assertThat(result.stderr()).isEqualTo("err\n");
      assertThat(result.argv()).containsExactly("sh", "-c", "echo out; echo err >&2; exit 3");
    }

    @Test
    void feedsStdinAndSetsTheEnvironmentAndWorkingDirectory() throws IOException {
      Path dir = Files.createDirectories(tmp.resolve("work dir"));

      Command.Result result = Command.of(List.of("sh", "-c", "cat; echo \" $GREETING\"; pwd"))
          .stdin("héllo")
          .env("GREETING", "bonjour")
          .in(dir)
          .run();

      assertThat(result.succeeded()).isTrue();
      assertThat(result.stdout()).isEqualTo("héllo bonjour\n" + dir.toRealPath() + "\n");
    }

    @Test
    void aProgramThatIgnoresItsInputIsFine() {
      assertThat(Command.of("true").stdin("ignored").run().succeeded()).isTrue();
    }

    @Test
    void bigOutputOnBothStreamsDoesNotDeadlock() {
      Command.Result result = Command.of("sh", "-c", "head -c 300000 /dev/zero | tr '\\0' a; "
          + "head -c 300000 /dev/zero | tr '\\0' b >&2").timeout(Duration.ofSeconds(30)).run();

      assertThat(result.stdout()).hasSize(300_000);
      assertThat(result.stderr()).hasSize(300_000);
    }

    @Test
    void orThrowReturnsTheResultOnSuccess() {
      Command.Result result = Command.of("sh", "-c", "echo fine").run();

      assertThat(result.orThrow("Saying fine")).isSameAs(result);
    }
  }

  @Nested
  class AMissingProgram {

    @Test
    void failsWithAnInstallHint() {
      assertThatThrownBy(() -> Command.of("sebs-no-such-tool-4711", "--version").run())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("Cannot run 'sebs-no-such-tool-4711': ")
          .hasMessageEndingWith(". Make sure sebs-no-such-tool-4711 is installed and on PATH.")
          .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void aMissingPythonSaysHowToInstallPython() {
      assertThatThrownBy(() -> Command.of("python9.99", "-V").run())
          .hasMessageContaining("Install Python 3 (Debian/Ubuntu: apt-get install python3 python3-venv)")
          .hasMessageContaining("make sure python9.99 is on PATH");
    }

    @Test
    void installHintsKnowPythonAndNode() {
      assertThat(Command.installHint("/usr/bin/python3.12")).startsWith("Install Python 3").contains("python3.12");
      assertThat(Command.installHint("node")).startsWith("Install Node.js 18+ with npm");
      assertThat(Command.installHint("npm")).contains("make sure npm is on PATH");
      assertThat(Command.installHint("cargo")).isEqualTo("Make sure cargo is installed and on PATH.");
    }

    @Test
    void onPathFindsExecutablesOnly() {
      assertThat(Command.onPath("sh")).hasValueSatisfying(p -> assertThat(p).isExecutable());
      assertThat(Command.onPath("sebs-no-such-tool-4711")).isEmpty();
    }
  }

  @Nested
  class ATimeout {

    @Test
    void killsTheProcessAndSaysSo() throws Exception {
      Path pidFile = tmp.resolve("pid");
      long start = System.nanoTime();

      assertThatThrownBy(() -> Command.of("sh", "-c", "echo $$ > '" + pidFile + "'; exec sleep 60")
          .timeout(Duration.ofMillis(500)).run())
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("'sh -c echo $$ > '" + pidFile + "'; exec sleep 60' did not finish within PT0.5S");

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertDiesSoon(readPid(pidFile));
    }

    @Test
    void killsTheChildrenToo() throws Exception {
      Path childPid = tmp.resolve("child");

      assertThatThrownBy(() -> Command.of("sh", "-c", "sleep 60 & echo $! > '" + childPid + "'; wait")
          .timeout(Duration.ofMillis(500)).run())
          .hasMessageContaining("did not finish within PT0.5S");

      assertDiesSoon(readPid(childPid));
    }

    @Test
    void appliesEvenWhenABackgroundChildKeepsTheOutputOpen() {
      long start = System.nanoTime();

      try {
        Command.of("sh", "-c", "sleep 5 & echo started").timeout(Duration.ofMillis(500)).run();
      } catch (IllegalStateException expected) {
        // failing is fine too; waiting 5 s is not
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Nested
  class OrThrow {

    @Test
    void quotesWhatFailedTheExitCodeAndTheCommand() {
      Command.Result result = Command.of("sh", "-c", "echo 'no such package' >&2; exit 7").run();

      assertThatThrownBy(() -> result.orThrow("pip install -r requirements.txt"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("pip install -r requirements.txt failed (exit code 7 from "
              + "'sh -c echo 'no such package' >&2; exit 7'):\nno such package");
    }

    @Test
    void quotesOnlyTheLastFortyLinesOfStderr() {
      Command.Result result = Command.of("sh", "-c",
          "i=1; while [ $i -le 100 ]; do echo \"err-line-$i\" >&2; i=$((i+1)); done; echo stdout-line; exit 1")
          .run();

      assertThatThrownBy(() -> result.orThrow("Building"))
          .hasMessageContaining("err-line-61\n")
          .hasMessageEndingWith("err-line-100")
          .hasMessageNotContaining("err-line-60\n")
          .hasMessageNotContaining("err-line-1\n")
          .hasMessageNotContaining("\nstdout-line")
          .satisfies(e -> assertThat(e.getMessage().lines().filter(l -> l.startsWith("err-line-"))).hasSize(40));
    }

    @Test
    void quotesStdoutWhenStderrIsBlank() {
      Command.Result result = Command.of("sh", "-c", "echo 'npm ERR! missing script'; echo '  ' >&2; exit 1").run();

      assertThatThrownBy(() -> result.orThrow("npm install"))
          .hasMessageEndingWith("):\nnpm ERR! missing script");
    }
  }

  @Test
  void tailKeepsTheLastLines() {
    assertThat(Command.Result.tail("a\nb\nc\nd\n", 2)).isEqualTo("c\nd");
    assertThat(Command.Result.tail("only", 40)).isEqualTo("only");
    assertThat(Command.Result.tail("", 40)).isEmpty();
  }
}
