package org.bootaudit.spark;

import java.io.Serializable;
import java.util.List;

/**
 * One host's log set: the unit of work of a fleet job, parsed whole by one task so that an event
 * split across two rotated files is joined as on the host itself.
 *
 * @param host the host's name, as the fleet layout or manifest gives it
 * @param locations a directory (its {@code audit.log*} set) or the set's files; local paths or
 *     Hadoop URIs ({@code hdfs://}, {@code s3a://}, ...)
 */
public record HostLog(String host, List<String> locations) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Copies the list. */
  public HostLog {
    locations = List.copyOf(locations);
  }
}
