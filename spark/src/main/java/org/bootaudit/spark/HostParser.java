package org.bootaudit.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.bootaudit.analysis.LossText;
import org.bootaudit.core.BootSummary;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.InvalidInputException;

/**
 * Runs inside an executor: parses one host's log set with core and gives its rows in the
 * {@link Tables#PARSED} shape, the file events as they stream (memory stays bounded whatever the
 * log's size), then one row per boot from core's summary. A log that cannot be read gives one
 * {@code error} row instead of failing the whole fleet's job.
 */
final class HostParser implements Iterator<Row> {

  private final HostLog host;
  private final ArrayDeque<Row> tail = new ArrayDeque<>();
  private EventStream events;
  private long seq;
  private boolean done;

  private HostParser(HostLog host) {
    this.host = host;
  }

  /** The rows of one host, read lazily. */
  static Iterator<Row> rows(HostLog host) {
    return new HostParser(host);
  }

  @Override
  public boolean hasNext() {
    if (!tail.isEmpty()) {
      return true;
    }
    if (done) {
      return false;
    }
    try {
      if (events == null) {
        events = HostInput.open(host);
      }
      if (events.hasNext()) {
        return true;
      }
      events.summary().boots().forEach(b -> tail.add(bootRow(b)));
      finish();
    } catch (IOException | UncheckedIOException | InvalidInputException e) {
      tail.add(errorRow(e.getMessage() == null ? e.toString() : e.getMessage()));
      finish();
    }
    return !tail.isEmpty();
  }

  private void finish() {
    done = true;
    if (events != null) {
      try {
        events.close();
      } catch (IOException e) {
        tail.add(errorRow("closing the log: " + e.getMessage()));
      }
    }
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return tail.isEmpty() ? eventRow(events.next()) : tail.poll();
  }

  private Row eventRow(FileEvent e) {
    return RowFactory.create(
        Tables.EVENT,
        host.host(),
        e.boot(),
        e.phase().label(),
        seq++,
        Timestamp.from(e.time()),
        e.serial(),
        e.op().label(),
        e.path(),
        e.oldPath().orElse(null),
        e.process().exe(),
        e.process().pid(),
        e.process().ppid(),
        e.success(),
        e.errno().orElse(null),
        e.key().orElse(null),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  private Row bootRow(BootSummary b) {
    BootSummary.Loss l = b.loss();
    return RowFactory.create(
        Tables.BOOT,
        host.host(),
        b.boot(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        Timestamp.from(b.start()),
        Timestamp.from(b.end()),
        b.firstSerial(),
        b.lastSerial(),
        b.records(),
        b.events(),
        b.fileEvents(),
        b.afterWindow(),
        b.windowEnd().map(w -> w.serial()).orElse(null),
        b.windowEnd().map(w -> Timestamp.from(w.time())).orElse(null),
        b.windowEnd().map(w -> w.reason()).orElse(null),
        l.none(),
        l.missingSerials(),
        l.kernelLost(),
        l.suppressed(),
        l.overflows(),
        l.auditOff().size(),
        LossText.loss(l),
        b.processes().size() + b.processesNotListed());
  }

  private Row errorRow(String message) {
    Object[] v = new Object[Tables.PARSED.size()];
    v[0] = Tables.ERROR;
    v[1] = host.host();
    v[Tables.PARSED.fieldIndex("loss")] = message;
    return RowFactory.create(v);
  }
}
