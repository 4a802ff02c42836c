package org.bootaudit.core;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * The lines of a log's inputs, one after another, for {@link EventStream}: read on the caller's
 * thread ({@link #sequential}), or read and parsed ahead on other threads ({@link
 * ParallelLines}). Either way the caller sees the same lines, positions, errors and parse
 * results, in the same order.
 */
abstract class Lines implements Closeable {

  /** What {@link #next()} reached. */
  enum Step {
    /** A line: see the fields. */
    LINE,
    /** The end of input {@link #input}; the next line, if any, is of a later input. */
    INPUT_END,
    /** The end of the last input. */
    END
  }

  /** Index of the input the current line (or the input that ended) belongs to; -1 before. */
  int input = -1;

  byte[] buf;
  int start;
  int end;
  long lineNo;
  /** Byte offset of the line's start in its input (after decompression). */
  long lineOffset;

  boolean tooLong;
  boolean unterminated;
  boolean endless;

  /**
   * The line already parsed, as {@link RecordParser#parse} returns it, or null when it was not:
   * valid only when the input is read as {@link #parsedAsKernelLog} says.
   */
  Object parsed;

  boolean parsedAsKernelLog;

  /**
   * Advances.
   *
   * @throws IOException when an input cannot be opened or read; {@link #input}, {@link #lineNo}
   *     and {@link #lineOffset} then say where (the last line read of that input)
   */
  abstract Step next() throws IOException;

  /** Bytes consumed from all inputs up to and including the current line (after decompression). */
  abstract long consumed();

  /** Lines read on the caller's thread, parsed by the caller. */
  static Lines sequential(List<LogInput> inputs, int maxLine) {
    return new Sequential(inputs, maxLine);
  }

  private static final class Sequential extends Lines {
    private final List<LogInput> inputs;
    private final int maxLine;
    private LineReader reader;
    private long consumedBefore;

    Sequential(List<LogInput> inputs, int maxLine) {
      this.inputs = inputs;
      this.maxLine = maxLine;
    }

    @Override
    Step next() throws IOException {
      if (reader == null) {
        if (input + 1 >= inputs.size()) {
          return Step.END;
        }
        input++;
        lineNo = 0;
        lineOffset = 0;
        try {
          reader = new LineReader(inputs.get(input).open(), maxLine);
        } catch (IOException e) {
          lineOffset = -1; // no line yet: no offset to name
          throw e;
        }
      }
      boolean more;
      try {
        more = reader.next();
      } catch (IOException e) {
        lineNo = reader.lineNo();
        lineOffset = reader.lineOffset();
        throw e;
      }
      if (!more) {
        consumedBefore += reader.consumed();
        reader.close();
        reader = null;
        return Step.INPUT_END;
      }
      buf = reader.buffer();
      start = reader.start();
      end = reader.end();
      lineNo = reader.lineNo();
      lineOffset = reader.lineOffset();
      tooLong = reader.tooLong();
      unterminated = reader.unterminated();
      endless = reader.endless();
      return Step.LINE;
    }

    @Override
    long consumed() {
      return consumedBefore + (reader == null ? 0 : reader.consumed());
    }

    @Override
    public void close() throws IOException {
      if (reader != null) {
        reader.close();
        reader = null;
      }
    }
  }
}
