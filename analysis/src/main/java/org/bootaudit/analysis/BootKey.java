package org.bootaudit.analysis;

import org.bootaudit.core.BootSummary;
import org.bootaudit.core.FileEvent;

/** A boot of one node: events and summaries are matched on it. */
record BootKey(String node, int boot) {

  static BootKey of(FileEvent e) {
    return new BootKey(e.node(), e.boot());
  }

  static BootKey of(BootSummary b) {
    return new BootKey(b.node(), b.boot());
  }
}
