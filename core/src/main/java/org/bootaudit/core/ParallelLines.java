package org.bootaudit.core;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lines read and parsed ahead of the caller. One reader thread opens the inputs in turn (gzip is
 * undone there), splits them into lines with a {@link LineReader} and copies them into batches;
 * each batch's lines are parsed into records by a worker, or by the reader itself when there is
 * no worker. The caller takes the batches in input order, so it sees exactly what {@link
 * Lines#sequential} would give, errors included: a read error reaches the caller after the lines
 * read before it. The queue of batches is bounded, so memory stays bounded whatever the input.
 */
final class ParallelLines extends Lines {

  /** Bytes of lines per batch: large enough to make a task worth it, small enough to stream. */
  static final int DEFAULT_BATCH_BYTES = 256 << 10;

  private static final AtomicInteger STREAMS = new AtomicInteger();

  private final List<LogInput> inputs;
  private final int maxLine;
  private final boolean kernel;
  private final int batchBytes;
  private final BlockingQueue<Batch> queue;
  private final ExecutorService workers;
  private final Thread reader;
  private volatile boolean closed;

  private Batch batch;
  private int next;
  private long consumedBefore;
  private long consumed;

  /**
   * @param threads threads in all, the caller's included: the reader is one, workers the rest
   *     beyond two
   * @param kernel whether lines are parsed ahead as kernel-log lines rather than audit.log ones
   */
  ParallelLines(List<LogInput> inputs, int maxLine, int threads, boolean kernel, int batchBytes) {
    this.inputs = inputs;
    this.maxLine = maxLine;
    this.kernel = kernel;
    this.batchBytes = batchBytes;
    this.parsedAsKernelLog = kernel;
    int n = Math.max(0, threads - 2);
    this.queue = new ArrayBlockingQueue<>(2 * n + 4);
    int id = STREAMS.incrementAndGet();
    AtomicInteger worker = new AtomicInteger();
    this.workers = n == 0
        ? null
        : Executors.newFixedThreadPool(
            n, r -> daemon(r, "bootaudit-parse-" + id + "-" + worker.incrementAndGet()));
    this.reader = daemon(this::read, "bootaudit-read-" + id);
    reader.start();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  Step next() throws IOException {
    while (batch == null || next >= batch.lines) {
      if (batch != null && batch.kind == Batch.END) {
        return Step.END; // asked again after the end
      }
      batch = take();
      next = 0;
      input = batch.input;
      switch (batch.kind) {
        case Batch.INPUT_END -> {
          consumedBefore += batch.consumedBase;
          consumed = consumedBefore;
          return Step.INPUT_END;
        }
        case Batch.END -> {
          return Step.END;
        }
        case Batch.FAILED -> {
          lineNo = batch.failedLineNo;
          lineOffset = batch.failedLineOffset;
          consumed = consumedBefore + batch.consumedBase;
          if (batch.failure instanceof IOException io) {
            throw io;
          }
          throw (RuntimeException) batch.failure;
        }
        default -> {}
      }
    }
    Batch b = batch;
    int i = next++;
    buf = b.data;
    start = b.starts[i];
    end = b.ends[i];
    lineNo = b.firstLineNo + i;
    lineOffset = b.offsets[i];
    consumed = consumedBefore + b.consumedAfter[i];
    byte flags = b.flags[i];
    tooLong = (flags & Batch.TOO_LONG) != 0;
    unterminated = (flags & Batch.UNTERMINATED) != 0;
    endless = (flags & Batch.ENDLESS) != 0;
    parsed = b.parsed == null ? null : b.parsed[i];
    return Step.LINE;
  }

  private Batch take() throws IOException {
    Batch b;
    try {
      b = queue.take();
      if (b.parsing != null) {
        b.parsing.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading the log");
    } catch (ExecutionException e) {
      // a bug in parsing, not bad input (that is a Problem in its place): let it surface as is
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new UncheckedIOException(new IOException(cause));
    }
    return b;
  }

  @Override
  long consumed() {
    return consumed;
  }

  /** The reader thread: every input in turn, then the end. */
  private void read() {
    RecordParser parser = workers == null ? new RecordParser(Tables.get()) : null;
    try {
      for (int k = 0; k < inputs.size() && !closed; k++) {
        if (!readInput(k, parser)) {
          return;
        }
      }
      put(Batch.marker(Batch.END, inputs.size() - 1, 0));
    } catch (InterruptedException | RejectedExecutionException e) {
      // closed by the caller: nothing more is wanted
    } finally {
      if (workers != null) {
        workers.shutdown(); // no more tasks: the workers end once the queued ones are done
      }
    }
  }

  /** Reads one input; false when reading must stop (a failure, or an endless line). */
  private boolean readInput(int k, RecordParser parser) throws InterruptedException {
    LineReader r;
    try {
      r = new LineReader(inputs.get(k).open(), maxLine);
    } catch (IOException | RuntimeException e) {
      put(Batch.failed(k, e, 0, -1, 0));
      return false;
    }
    String name = inputs.get(k).name;
    Batch b = new Batch(k, name, batchBytes, 1);
    try (r) {
      while (!closed && r.next()) {
        if (!b.add(r)) {
          dispatch(b, parser);
          b = new Batch(k, name, Math.max(batchBytes, r.end() - r.start()), r.lineNo());
          b.add(r);
        }
        if (r.endless()) {
          // the caller stops at this line, in every mode: reading on would never end
          dispatch(b, parser);
          put(Batch.marker(Batch.END, k, 0));
          return false;
        }
      }
      dispatch(b, parser);
      put(Batch.marker(Batch.INPUT_END, k, r.consumed()));
      return true;
    } catch (IOException | RuntimeException e) {
      dispatch(b, parser);
      put(Batch.failed(k, e, r.lineNo(), r.lineOffset(), r.consumed()));
      return false;
    }
  }

  private void dispatch(Batch b, RecordParser parser) throws InterruptedException {
    if (b.lines == 0) {
      return;
    }
    if (workers == null) {
      b.parse(parser, kernel);
    } else {
      b.parsing = workers.submit(() -> b.parse(PARSERS.get(), kernel), null);
    }
    put(b);
  }

  private static final ThreadLocal<RecordParser> PARSERS =
      ThreadLocal.withInitial(() -> new RecordParser(Tables.get()));

  private void put(Batch b) throws InterruptedException {
    queue.put(b);
  }

  @Override
  public void close() {
    closed = true;
    reader.interrupt();
    if (workers != null) {
      workers.shutdownNow();
    }
    queue.clear(); // frees a reader waiting to put
  }

  /** Lines of one input, copied out of the reader's buffer, and what they parse to. */
  private static final class Batch {
    static final int LINES = 0;
    static final int INPUT_END = 1;
    static final int END = 2;
    static final int FAILED = 3;

    static final byte TOO_LONG = 1;
    static final byte UNTERMINATED = 2;
    static final byte ENDLESS = 4;

    final int kind;
    final int input;
    final String name;
    final long firstLineNo;
    byte[] data;
    int size;
    int lines;
    int[] starts;
    int[] ends;
    long[] offsets;
    long[] consumedAfter;
    byte[] flags;
    Object[] parsed;
    volatile Future<?> parsing;

    /** An IOException, or a RuntimeException the reader met: thrown to the caller as it is. */
    Exception failure;

    long failedLineNo;
    long failedLineOffset;
    /** INPUT_END: the input's bytes; FAILED: those read before the failure. */
    long consumedBase;

    Batch(int input, String name, int capacity, long firstLineNo) {
      this.kind = LINES;
      this.input = input;
      this.name = name;
      this.firstLineNo = firstLineNo;
      this.data = new byte[capacity];
      int n = Math.max(16, capacity / 128);
      this.starts = new int[n];
      this.ends = new int[n];
      this.offsets = new long[n];
      this.consumedAfter = new long[n];
      this.flags = new byte[n];
    }

    private Batch(int kind, int input) {
      this.kind = kind;
      this.input = input;
      this.name = null;
      this.firstLineNo = 0;
    }

    static Batch marker(int kind, int input, long consumed) {
      Batch b = new Batch(kind, input);
      b.consumedBase = consumed;
      return b;
    }

    static Batch failed(int input, Exception e, long lineNo, long lineOffset, long consumed) {
      Batch b = new Batch(FAILED, input);
      b.failure = e;
      b.failedLineNo = lineNo;
      b.failedLineOffset = lineOffset;
      b.consumedBase = consumed;
      return b;
    }

    /** Adds the reader's current line; false when it does not fit (the first line always does). */
    boolean add(LineReader r) {
      int len = r.end() - r.start();
      if (size + len > data.length) {
        if (lines > 0) {
          return false;
        }
        data = new byte[len];
      }
      if (lines == starts.length) {
        int n = lines * 2;
        starts = Arrays.copyOf(starts, n);
        ends = Arrays.copyOf(ends, n);
        offsets = Arrays.copyOf(offsets, n);
        consumedAfter = Arrays.copyOf(consumedAfter, n);
        flags = Arrays.copyOf(flags, n);
      }
      System.arraycopy(r.buffer(), r.start(), data, size, len);
      starts[lines] = size;
      ends[lines] = size + len;
      size += len;
      offsets[lines] = r.lineOffset();
      consumedAfter[lines] = r.consumed();
      flags[lines] = (byte) ((r.tooLong() ? TOO_LONG : 0)
          | (r.unterminated() ? UNTERMINATED : 0)
          | (r.endless() ? ENDLESS : 0));
      lines++;
      return true;
    }

    /** Parses the lines the caller will parse: not the bad or empty ones it skips first. */
    void parse(RecordParser parser, boolean kernel) {
      Object[] out = new Object[lines];
      for (int i = 0; i < lines; i++) {
        if (flags[i] == 0 && ends[i] > starts[i]) {
          out[i] =
              parser.parse(data, starts[i], ends[i], kernel, name, firstLineNo + i, offsets[i]);
        }
      }
      parsed = out;
    }
  }
}
