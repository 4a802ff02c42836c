package org.bootaudit.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The records of one audit event: those with the same node and serial in one boot. */
final class AuditEvent {

  final BootState boot;
  final long serial;
  final List<Record> records = new ArrayList<>(6);
  long lastSeq;
  /** The record sequence number at which an end record (PROCTITLE, EOE) arrived, or -1. */
  long completedAt = -1;
  /** {@link Record#weight()} of the records, summed. */
  long weight;
  /** Handed on: no more records join it. */
  boolean emitted;

  AuditEvent(BootState boot, long serial) {
    this.boot = boot;
    this.serial = serial;
  }

  Record first(String type) {
    for (Record r : records) {
      if (r.type.equals(type)) {
        return r;
      }
    }
    return null;
  }

  Instant time() {
    Record r = records.get(0);
    return Instant.ofEpochSecond(r.seconds, r.millis * 1_000_000L);
  }

  /** {@link #time()} in ms since the epoch, without an Instant. */
  long millis() {
    Record r = records.get(0);
    return r.seconds * 1000 + r.millis;
  }
}
