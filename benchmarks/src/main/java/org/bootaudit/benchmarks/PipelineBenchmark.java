package org.bootaudit.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.bootaudit.core.EventStream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the full pipeline (read + parse + assemble + classify) over an in-memory copy of a
 * real audit log; every {@code FileEvent} goes into a Blackhole. One op is one pass over the whole
 * input. Besides ops/s, JMH prints the secondary results {@code bytes} (input bytes/s: divide by
 * 1,048,576 for MiB/s) and {@code events} (file events/s). See {@link BenchInput} for the input.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class PipelineBenchmark {

  /** The input, loaded once per fork. */
  public byte[] bytes;

  /** Threads the read may use: 1, the default, measures one core (-p threads=2 for two). */
  @Param({"1"})
  public int threads;

  /** Per-iteration counters; JMH reports them as rates per second. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Counters {
    /** Input bytes consumed. */
    public long bytes;
    /** File events produced. */
    public long events;

    /** Reset for each iteration. */
    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
      events = 0;
    }
  }

  /** Loads the input. */
  @Setup(Level.Trial)
  public void load() {
    bytes = BenchInput.load();
    System.out.println(BenchInput.describe(bytes));
  }

  /** One pass: every event into the Blackhole; returns the event count. */
  @Benchmark
  public long pipeline(Counters counters, Blackhole bh) throws IOException {
    long n = 0;
    try (EventStream events = BenchInput.open(bytes, threads)) {
      while (events.hasNext()) {
        bh.consume(events.next());
        n++;
      }
      bh.consume(events.summary());
    }
    counters.bytes += bytes.length;
    counters.events += n;
    return n;
  }
}
