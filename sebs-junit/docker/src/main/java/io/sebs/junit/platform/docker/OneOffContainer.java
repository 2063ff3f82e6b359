package io.sebs.junit.platform.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A container that runs one command to completion for the platform's own preparation (installing a
 * package's Python wheels, building a tools image), never a function instance: created, run, waited for,
 * and always removed, with the end of its output in the error when it fails.
 */
final class OneOffContainer {

  private static final int OUTPUT_LINES = 60;

  private OneOffContainer() {}

  /**
   * Runs the container {@code create} describes and, when it exits with 0, hands its id to
   * {@code afterSuccess} (e.g. to commit it) before removing it.
   *
   * @param what the work, for the error message ("'pip install ...' in image")
   * @throws IllegalStateException when it exits with another code or runs longer than {@code timeout}
   */
  static void run(DockerClient docker, CreateContainerCmd create, Duration timeout, String what,
      Consumer<String> afterSuccess) {
    String id = create.exec().getId();
    try {
      docker.startContainerCmd(id).exec();
      int exit = docker.waitContainerCmd(id).start().awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (exit != 0) {
        throw new IllegalStateException(what + " exited with code " + exit + ":\n" + output(docker, id));
      }
      afterSuccess.accept(id);
    } finally {
      docker.removeContainerCmd(id).withForce(true).exec();
    }
  }

  private static String output(DockerClient docker, String id) {
    StringBuilder out = new StringBuilder();
    try {
      docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(OUTPUT_LINES)
          .exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
              out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
          }).awaitCompletion(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out.toString();
  }
}
