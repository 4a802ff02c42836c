package org.bootaudit.core;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The file events of a log, in boot then serial order, read lazily with bounded memory.
 *
 * <p>Each event comes with its {@link Phase}. Telling it may hold a few events back: a boot's
 * first ones until its first exec, and those stamped after auditd started until its audit_pid
 * record (at most 4,096 events each time; see {@link BootSummary.Phases}).
 *
 * <p>Iterate it once, then ask {@link #summary()} for boots and losses. Read errors surface as
 * {@link UncheckedIOException}, bad input in {@link ErrorMode#STRICT} mode as {@link
 * AuditParseException}.
 */
public final class EventStream implements Iterator<FileEvent>, Closeable {

  private static final int MAX_EXAMPLES = 10;
  /** Lines looked at, at most, to tell an input's format (a console log opens with firmware text). */
  private static final int MAX_UNDECIDED = 1000;

  private final List<LogInput> inputs;
  private final InputFormat format;
  private final ErrorMode mode;
  private final BootWindow window;
  private final int maxLine;
  private final RecordParser parser;
  private final Classifier classifier;
  private final Assembler assembler;
  private final ArrayDeque<FileEvent> ready = new ArrayDeque<>();
  private final Consumer<FileEvent> toReady = ready::add;
  private final List<FileEvent> scratch = new ArrayList<>();
  /** Boots holding file events back until their phase is known (see {@link PhaseTracker}). */
  private final List<BootState> holding = new ArrayList<>();

  private final List<String> skippedExamples = new ArrayList<>();
  private int inputIndex = -1;
  private final Lines lines;
  private boolean kernelLog;
  private StapImporter stap;
  private boolean firstLine;
  /** No line of this input has told its format yet; see {@link #undecided}. */
  private boolean deciding;
  /** Lines read while deciding, with where and why each is no audit record (the first few). */
  private final List<SourceLocation> undecidedWhere = new ArrayList<>();

  private final List<String> undecidedWhy = new ArrayList<>();
  private long undecided;
  private boolean finished;
  private long lineCount;
  private long records;
  private long skipped;
  private long otherLines;

  EventStream(
      List<LogInput> inputs,
      InputFormat format,
      ErrorMode mode,
      BootWindow window,
      int maxLine,
      int threads,
      int batchBytes) {
    this.inputs = inputs;
    this.format = format;
    this.mode = mode;
    this.window = window;
    this.maxLine = maxLine;
    Tables tables = Tables.get();
    this.parser = new RecordParser(tables);
    this.classifier = new Classifier(tables);
    this.assembler = new Assembler();
    // bootprobe logs are small and parsed their own way: only audit records are parsed ahead
    this.lines = threads <= 1 || format == InputFormat.BOOTPROBE
        ? Lines.sequential(inputs, maxLine)
        : new ParallelLines(inputs, maxLine, threads, format == InputFormat.KERNEL_LOG, batchBytes);
  }

  @Override
  public boolean hasNext() {
    try {
      while (ready.isEmpty() && !finished) {
        step();
      }
    } catch (java.util.zip.ZipException | java.io.EOFException e) {
      // a damaged or cut .gz is bad data, not a failing disk
      throw new AuditParseException(
          here(lines.lineNo + 1, 1),
          "expected a whole gzip stream, found "
              + (e.getMessage() == null ? "its end cut short" : e.getMessage()) + " after "
              + bytesRead() + " bytes of log (a truncated or corrupt .gz)");
    } catch (IOException e) {
      throw new UncheckedIOException(
          currentName() + ": "
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
          e);
    }
    return !ready.isEmpty();
  }

  @Override
  public FileEvent next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }

  /** The remaining events as a sequential stream; closing it closes this. */
  public Stream<FileEvent> stream() {
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(this::closeQuietly);
  }

  /** Bytes read so far from the inputs (after decompression). */
  public long bytesRead() {
    return lines.consumed();
  }

  /**
   * What was read: boots with their windows, processes and losses, and skipped lines. Complete
   * once the events are exhausted; before that it describes what has been read so far.
   */
  public LogSummary summary() {
    List<BootSummary> boots = new ArrayList<>();
    for (BootState b : assembler.boots()) {
      boots.add(b.summary());
    }
    return new LogSummary(
        boots, lineCount, records, skipped, List.copyOf(skippedExamples), otherLines);
  }

  private void step() throws IOException {
    switch (lines.next()) {
      case END -> {
        endInput();
        assembler.finish();
        takeEvents();
        holding.forEach(b -> b.phases.release(toReady));
        holding.clear();
        finished = true;
        return;
      }
      case INPUT_END -> {
        endInput();
        return;
      }
      case LINE -> {
        if (lines.input != inputIndex) {
          inputIndex = lines.input;
          firstLine = true;
        }
      }
    }
    lineCount++;
    byte[] b = lines.buf;
    int s = lines.start;
    int e = lines.end;
    if (lines.endless) {
      // even lenient mode stops: skipping on would read an input without newlines for ever
      throw new AuditParseException(
          here(lines.lineNo, maxLine + 1),
          "expected a line of at most " + maxLine
              + " bytes, found one of more than " + LineReader.MAX_SKIP
              + " (the limit on skipping a line: no audit log has such lines)");
    }
    if (lines.tooLong) {
      bad(
          lines.lineNo,
          maxLine + 1,
          "expected a line of at most " + maxLine + " bytes, found a longer one"
              + " (the maximum line length; raise it if the log is sound)");
      return;
    }
    if (s == e) {
      return;
    }
    if (lines.unterminated) {
      bad(
          lines.lineNo,
          e - s + 1,
          "expected a newline at the end of the last line, found the end of the input"
              + " (a truncated record?)");
      return;
    }
    if (firstLine) {
      firstLine = false;
      deciding = format == InputFormat.AUTO;
      if (!deciding) {
        use(format);
      }
    }
    if (deciding) {
      InputFormat f = detect(b, s, e);
      if (f == null && undecided < MAX_UNDECIDED) {
        undecided(b, s, e);
        return;
      }
      decide(f == null ? InputFormat.AUDIT_LOG : f);
    }
    if (stap != null) {
      stapLine(b, s, e);
      return;
    }
    Object parsed = lines.parsed != null && lines.parsedAsKernelLog == kernelLog
        ? lines.parsed
        : parser.parse(b, s, e, kernelLog, currentName(), lines.lineNo, lines.lineOffset);
    if (parsed instanceof Record r) {
      records++;
      assembler.add(r);
      takeEvents();
    } else if (parsed instanceof RecordParser.Loss loss) {
      assembler.currentBoot().kernelLoss(loss.what(), loss.count());
    } else if (parsed instanceof RecordParser.Problem p) {
      if (p.unusedType) {
        count(
            here(lines.lineNo, p.column),
            p.getMessage() + " (a record type not used for file events: skipped)");
      } else {
        bad(lines.lineNo, p.column, p.getMessage());
      }
    } else {
      otherLines++;
    }
  }

  private void use(InputFormat f) {
    stap = f == InputFormat.BOOTPROBE ? new StapImporter() : null;
    kernelLog = f == InputFormat.KERNEL_LOG;
  }

  /** Notes a line that tells nothing of the input's format, and why it is no audit.log record. */
  private void undecided(byte[] b, int s, int e) {
    undecided++;
    if (undecidedWhere.size() < MAX_EXAMPLES) {
      int column = 1;
      String why = "expected an audit record";
      if (parser.parse(b, s, e, false, currentName(), lines.lineNo, lines.lineOffset)
          instanceof RecordParser.Problem p) {
        column = p.column;
        why = p.getMessage();
      }
      undecidedWhere.add(here(lines.lineNo, column));
      undecidedWhy.add(why);
    }
  }

  /**
   * The input's format is known: lines read before are a kernel log's other lines, or bad lines
   * of an audit.log or bootprobe log.
   */
  private void decide(InputFormat f) {
    deciding = false;
    use(f);
    if (f == InputFormat.KERNEL_LOG) {
      otherLines += undecided;
    } else {
      for (int i = 0; i < undecidedWhere.size(); i++) {
        skip(undecidedWhere.get(i), undecidedWhy.get(i));
      }
      skipped += undecided - undecidedWhere.size();
    }
    undecided = 0;
    undecidedWhere.clear();
    undecidedWhy.clear();
  }

  private void stapLine(byte[] b, int s, int e) {
    BootState boot = assembler.currentBoot();
    if (!stap.line(b, s, e, lines.lineNo, boot, this::acceptStap)) {
      bad(
          lines.lineNo,
          1,
          "expected a bootprobe line 'SECONDS INDENT PID (COMM) forks|execs|reads|writes|exit ...', found '"
              + Bytes.quote(b, s, e) + "'");
    }
  }

  private void acceptStap(FileEvent f) {
    BootState boot = assembler.currentBoot();
    if (window.timeLimit().isPresent() && f.time().isAfter(window.timeLimit().get())) {
      boot.notReturned(1);
      return;
    }
    boot.returned(f);
    boot.phases.emit(f, toReady);
  }

  /** The format a line shows, or null when it shows none (firmware text atop a console log). */
  private static InputFormat detect(byte[] b, int s, int e) {
    if (Bytes.startsWith(b, s, e, TYPE) || Bytes.startsWith(b, s, e, NODE)) {
      return InputFormat.AUDIT_LOG;
    }
    if (StapImporter.looksLikeStap(b, s, e)) {
      return InputFormat.BOOTPROBE;
    }
    return looksLikeKernelLog(b, s, e) ? InputFormat.KERNEL_LOG : null;
  }

  private static final byte[] TYPE = "type=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] NODE = "node=".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  static boolean looksLikeKernelLog(byte[] b, int s, int e) {
    String head =
        new String(b, s, Math.min(e - s, 200), java.nio.charset.StandardCharsets.ISO_8859_1);
    return head.contains("audit: ")
        || head.contains(" kernel: ")
        || head.contains("kauditd")
        || hasKernelTimestamp(head);
  }

  /** dmesg's {@code [    2.100000] }, perhaps after a console's escape codes. */
  private static boolean hasKernelTimestamp(String head) {
    int open = head.indexOf('[');
    while (open >= 0) {
      int i = open + 1;
      while (i < head.length() && head.charAt(i) == ' ') {
        i++;
      }
      int digits = i;
      while (i < head.length() && (Character.isDigit(head.charAt(i)) || head.charAt(i) == '.')) {
        i++;
      }
      if (i > digits
          && i < head.length()
          && head.charAt(i) == ']'
          && head.substring(digits, i).contains(".")) {
        return true;
      }
      open = head.indexOf('[', open + 1);
    }
    return false;
  }

  /** Hands on the events the assembler has completed. */
  private void takeEvents() {
    for (AuditEvent e = assembler.poll(); e != null; e = assembler.poll()) {
      accept(e);
    }
  }

  private void accept(AuditEvent e) {
    BootState boot = e.boot;
    if (!holding.isEmpty()) {
      releaseEarlierBoots(boot);
    }
    Record change = e.first("CONFIG_CHANGE");
    boot.auditSwitch(e, change);
    boot.phases.note(e, change, toReady);
    boot.holdQueue.note(e, change, boot.phases.auditdSerial());
    boolean after = boot.windowEnded() || beyondLimit(e);
    if (after && !window.returnsAll()) {
      countAfterWindow(e);
      return;
    }
    scratch.clear();
    try {
      classifier.classify(e, after ? Phase.AFTER_WINDOW : boot.phases.phaseOf(e), scratch);
    } catch (Record.BadValue v) {
      skip(v.where, v.getMessage());
      return;
    }
    for (FileEvent f : scratch) {
      boot.returned(f);
    }
    boot.phases.settle(e, scratch, toReady);
    if (boot.phases.isWaiting()) {
      if (!holding.contains(boot)) {
        holding.add(boot);
      }
    } else if (!holding.isEmpty()) {
      holding.remove(boot);
    }
    if (!after && window.untilLoginMarker()) {
      LoginMarkers.find(e)
          .ifPresent(
              reason -> boot.endWindow(new BootSummary.WindowEnd(e.serial, e.time(), reason)));
    }
  }

  /** A node's next boot has begun: what its previous boots still hold back goes out first. */
  private void releaseEarlierBoots(BootState boot) {
    for (Iterator<BootState> it = holding.iterator(); it.hasNext(); ) {
      BootState w = it.next();
      if (w != boot && w.node.equals(boot.node)) {
        w.phases.release(toReady);
        it.remove();
      }
    }
  }

  private boolean beyondLimit(AuditEvent e) {
    if (window.serialLimit().isPresent() && e.serial > window.serialLimit().getAsLong()) {
      return true;
    }
    return window.timeLimit().isPresent() && e.time().isAfter(window.timeLimit().get());
  }

  private void countAfterWindow(AuditEvent e) {
    scratch.clear();
    try {
      classifier.classify(e, Phase.AFTER_WINDOW, scratch);
    } catch (Record.BadValue ignored) {
      // outside the window: it is neither returned nor counted as a skip
    }
    e.boot.notReturned(scratch.size());
  }

  /** A problem at a column of the current line. */
  private void bad(long lineNo, int column, String message) {
    skip(here(lineNo, column), message);
  }

  private SourceLocation here(long lineNo, int column) {
    return new SourceLocation(
        currentName(), lineNo, column, lines.lineOffset < 0 ? -1 : lines.lineOffset + column - 1);
  }

  private void skip(SourceLocation where, String message) {
    if (mode == ErrorMode.STRICT) {
      throw new AuditParseException(where, message + hint());
    }
    count(where, message);
  }

  /** Counts a skipped line, with its message among the first few. */
  private void count(SourceLocation where, String message) {
    skipped++;
    if (skippedExamples.size() < MAX_EXAMPLES) {
      skippedExamples.add(where + ": " + message);
    }
  }

  /** What to do about a bad line: a kernel log read as an audit.log needs its format, not skips. */
  private String hint() {
    if (!kernelLog
        && stap == null
        && lines.buf != null
        && looksLikeKernelLog(lines.buf, lines.start, lines.end)) {
      return " (this looks like a kernel log: read it with the kernel-log input format)";
    }
    return " (use lenient mode to skip bad lines)";
  }

  /** An input ended: what it left undecided is an audit.log's. */
  private void endInput() {
    if (deciding) {
      decide(InputFormat.AUDIT_LOG);
    }
  }

  private String currentName() {
    int i = lines.input;
    return i >= 0 && i < inputs.size() ? inputs.get(i).name : "<input>";
  }

  private void closeQuietly() {
    try {
      close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    finished = true;
    lines.close();
  }
}
