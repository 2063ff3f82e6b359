package io.sebs.junit.series;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sebs.junit.Invocation;
import io.sebs.junit.platform.InvocationResult;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * An immutable list of invocations that keeps a long series off the heap: past {@link #IN_MEMORY} invocations
 * each {@link InvocationResult} is one line of a temporary file (a JSON array of its components) and is read
 * back, by blocks of {@value #BLOCK}, when asked for. A 100,000-invocation series then keeps one file offset
 * per block on the heap (0.125 bytes per invocation) instead of ~190 bytes per invocation (the record's 104,
 * its request id's String and bytes ~80; more with outputs), so the test JVM's heap stays flat however long the
 * series. A read-back invocation is {@linkplain Object#equals equal} to the one added, not the same object (nor
 * the same object from one read to the next); numeric JSON nodes in its output or measurement that were not
 * parsed from JSON ({@code LongNode}, {@code FloatNode}, {@code DecimalNode}) come back as JSON parsing gives
 * them. Each written invocation's failure is counted as it is added, so {@link #noneFailed()} needs no read.
 *
 * <p>Shorter series stay in memory as they were (no file, the same objects). Invocations of other types
 * (workflow runs, a test's own) are never written: they stay on the heap beside the file. The file is deleted
 * when the list (and every prefix {@linkplain Builder#snapshot snapshot} of it) becomes unreachable, or at exit.
 */
public final class SpilledInvocations extends AbstractList<Invocation> implements RandomAccess {

  /** Series up to this many invocations stay in memory: the file only pays off for long ones. */
  public static final int IN_MEMORY = 1000;

  /** Invocations per indexed block: the heap keeps one offset per block and decodes a block at a time. */
  static final int BLOCK = 64;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Cleaner CLEANER = Cleaner.create();

  private final SpillFile file;
  private final long[] blockOffsets;
  private final Map<Integer, Invocation> kept;
  private final int size;
  private final int failedLines;
  private int cachedBlock = -1;
  private Invocation[] cached;

  private SpilledInvocations(SpillFile file, long[] blockOffsets, Map<Integer, Invocation> kept, int size,
      int failedLines) {
    this.file = file;
    this.blockOffsets = blockOffsets;
    this.kept = kept;
    this.size = size;
    this.failedLines = failedLines;
  }

  /**
   * Whether no invocation of this list failed, known without reading the file back: the written invocations'
   * failures are counted as they are added, the ones kept on the heap are asked.
   */
  public boolean noneFailed() {
    return failedLines == 0 && kept.values().stream().noneMatch(Invocation::failed);
  }

  /**
   * {@code invocations} as an immutable list: itself when it already is one of these, else a copy that spills
   * past {@link #IN_MEMORY} invocations (nulls are rejected as {@link List#copyOf} does).
   */
  public static List<Invocation> copyOf(Collection<? extends Invocation> invocations) {
    if (invocations instanceof SpilledInvocations spilled) {
      return spilled;
    }
    if (invocations.size() <= IN_MEMORY) {
      return List.copyOf(invocations);
    }
    Builder builder = new Builder();
    invocations.forEach(builder::add);
    return builder.build();
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public synchronized Invocation get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("Index " + index + " out of bounds for length " + size);
    }
    Invocation own = kept.get(index);
    if (own != null) {
      return own;
    }
    int block = index / BLOCK;
    if (block != cachedBlock) {
      cached = file.readBlock(blockOffsets[block], Math.min(BLOCK, size - block * BLOCK));
      cachedBlock = block;
    }
    return cached[index % BLOCK];
  }

  /**
   * Collects invocations in order: in memory up to {@link #IN_MEMORY}, then in a temporary file. Not
   * thread-safe; one writer.
   */
  public static final class Builder {
    private final int inMemory;
    private List<Invocation> memory = new ArrayList<>();
    private SpillFile file;
    private long[] blockOffsets;
    private Map<Integer, Invocation> kept;
    private int size;
    private int failedLines;

    public Builder() {
      this(IN_MEMORY);
    }

    /** @param inMemory how many invocations stay in memory before the file takes over (tests use few) */
    Builder(int inMemory) {
      this.inMemory = inMemory;
    }

    public Builder add(Invocation invocation) {
      java.util.Objects.requireNonNull(invocation, "invocation");
      if (file == null) {
        memory.add(invocation);
        size++;
        if (memory.size() > inMemory) {
          spill();
        }
        return this;
      }
      append(invocation);
      return this;
    }

    public int size() {
      return size;
    }

    /** The invocations added so far; later additions do not show in it. */
    public List<Invocation> snapshot() {
      if (file == null) {
        return List.copyOf(memory);
      }
      file.flush();
      return new SpilledInvocations(file, blockOffsets, kept.isEmpty() ? Map.of() : new HashMap<>(kept), size,
          failedLines);
    }

    /** The invocations added; the builder should not be used after. */
    public List<Invocation> build() {
      return snapshot();
    }

    private void spill() {
      List<Invocation> first = memory;
      memory = null;
      file = SpillFile.create();
      blockOffsets = new long[16];
      kept = new HashMap<>();
      size = 0;
      failedLines = 0;
      first.forEach(this::append);
    }

    private void append(Invocation invocation) {
      if (size % BLOCK == 0) {
        int block = size / BLOCK;
        if (block == blockOffsets.length) {
          // a new array: a snapshot keeps the old one, whose first entries stay valid for its prefix
          blockOffsets = Arrays.copyOf(blockOffsets, blockOffsets.length * 2);
        }
        blockOffsets[block] = file.position();
      }
      if (invocation instanceof InvocationResult r) {
        file.write(encode(r));
        failedLines += r.failed() ? 1 : 0;
      } else {
        kept.put(size, invocation);
        file.write(new byte[0]);
      }
      size++;
    }
  }

  /** One line of the file: the record's components in order, so that reading it back gives an equal record. */
  private static byte[] encode(InvocationResult r) {
    com.fasterxml.jackson.databind.node.ArrayNode a = JSON.createArrayNode();
    a.add(r.requestId()).add(r.clientBeginMicros()).add(r.clientMicros()).add(r.functionBeginMicros())
        .add(r.functionEndMicros()).add(r.incomeTimestampMicros()).add(r.providerMicros()).add(r.initMicros())
        .add(r.isCold()).add(r.containerId()).add(r.failure()).add(present(r.output())).add(present(r.measurement()))
        .add(r.memoryUsedMb());
    try {
      return JSON.writeValueAsBytes(a); // UTF-8 by Jackson's generator, which escapes a lone surrogate
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot encode " + r, e);
    }
  }

  private static InvocationResult decode(com.fasterxml.jackson.databind.JsonNode a) {
    return new InvocationResult(a.get(0).isNull() ? null : a.get(0).asText(), a.get(1).asLong(), a.get(2).asLong(),
        a.get(3).asLong(), a.get(4).asLong(), a.get(5).asLong(), a.get(6).asLong(), a.get(7).asLong(),
        a.get(8).asBoolean(), a.get(9).asText(), a.get(10).isNull() ? null : a.get(10).asText(), missing(a.get(11)),
        missing(a.get(12)), a.get(13).asDouble());
  }

  /** A node as a one-element array, a missing node (which has no JSON form) as null: JSON null stays itself. */
  private static com.fasterxml.jackson.databind.JsonNode present(com.fasterxml.jackson.databind.JsonNode node) {
    return node.isMissingNode() ? JSON.nullNode() : JSON.createArrayNode().add(node);
  }

  private static com.fasterxml.jackson.databind.JsonNode missing(com.fasterxml.jackson.databind.JsonNode node) {
    return node.isNull() ? null : node.get(0);
  }

  /** The temporary file and its writer; deleted once no list reads it (the {@link Cleaner}) or at exit. */
  private static final class SpillFile {
    private final Path path;
    private final OutputStream out;
    private long position;

    private SpillFile(Path path, OutputStream out) {
      this.path = path;
      this.out = out;
    }

    static SpillFile create() {
      try {
        Path path = Files.createTempFile("sebs-invocations-", ".jsonl");
        path.toFile().deleteOnExit();
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
        SpillFile file = new SpillFile(path, out);
        CLEANER.register(file, () -> { // captures no list: runs once the last list reading the file is gone
          try {
            out.close();
            Files.deleteIfExists(path);
          } catch (IOException ignored) {
            // a leftover temporary file; deleteOnExit tries again
          }
        });
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create a temporary file for a long series' invocations", e);
      }
    }

    long position() {
      return position;
    }

    synchronized void write(byte[] line) {
      try {
        out.write(line);
        out.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write a series' invocations to " + path, e);
      }
      position += line.length + 1;
    }

    synchronized void flush() {
      try {
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write a series' invocations to " + path, e);
      }
    }

    /** {@code count} lines from {@code offset}, decoded; an empty line (an invocation kept on the heap) is null. */
    synchronized Invocation[] readBlock(long offset, int count) {
      Invocation[] block = new Invocation[count];
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(512);
        long at = offset;
        int n = 0;
        while (n < count) {
          buffer.clear();
          int read = channel.read(buffer, at);
          if (read < 0) {
            throw new IllegalStateException(path + " ended after " + n + " of " + count + " invocations");
          }
          at += read;
          buffer.flip();
          while (buffer.hasRemaining() && n < count) {
            byte b = buffer.get();
            if (b == '\n') {
              block[n++] = line.size() == 0 ? null : decode(JSON.readTree(line.toByteArray()));
              line.reset();
            } else {
              line.write(b);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read a series' invocations back from " + path, e);
      }
      return block;
    }
  }
}
