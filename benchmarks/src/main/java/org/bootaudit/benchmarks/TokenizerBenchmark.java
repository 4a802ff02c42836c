package org.bootaudit.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.bootaudit.analysis.EventWriter;
import org.bootaudit.core.EventStream;
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

/**
 * The {@link PipelineBenchmark} pass plus output: every event is written as JSON Lines by {@link
 * EventWriter} to a null OutputStream (parse + classify + write), which is what {@code bootaudit
 * events} does minus the file system. The difference to {@code PipelineBenchmark} is the cost of
 * the JSONL encoding. Secondary results {@code bytes} and {@code events} as there.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class TokenizerBenchmark {

  /** The input, loaded once per fork. */
  public byte[] bytes;

  /** Threads the read may use: 1, the default, measures one core (-p threads=2 for two). */
  @Param({"1"})
  public int threads;

  /** Counts what was written, so the JIT cannot drop the output. */
  static final class CountingNullStream extends OutputStream {
    long written;

    @Override
    public void write(int b) {
      written++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      written += len;
    }
  }

  /** Loads the input. */
  @Setup(Level.Trial)
  public void load() {
    bytes = BenchInput.load();
    System.out.println(BenchInput.describe(bytes));
  }

  /** One pass writing JSONL; returns the number of JSONL bytes written. */
  @Benchmark
  public long jsonl(PipelineBenchmark.Counters counters) throws IOException {
    CountingNullStream out = new CountingNullStream();
    long n = 0;
    try (EventStream events = BenchInput.open(bytes, threads);
        EventWriter writer = EventWriter.create(out, EventWriter.Format.JSONL)) {
      while (events.hasNext()) {
        writer.write(events.next());
        n++;
      }
    }
    counters.bytes += bytes.length;
    counters.events += n;
    return out.written;
  }
}
