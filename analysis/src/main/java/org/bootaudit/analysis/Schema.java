package org.bootaudit.analysis;

/**
 * The version of the fields bootaudit writes: the event fields of {@link EventWriter#FIELDS} and
 * the keys of the {@link Report#json(int)} and {@link Diff#json()} trees, which carry it as {@code
 * "schema"}. It goes up whenever a field is added, renamed, removed or changes type, so that a
 * tool reading the output can tell which fields to expect.
 */
public final class Schema {

  /**
   * The current version. 1: the first versioned fields (events with {@code user}, {@code auser});
   * 2: diff's content fields ({@code contentChanged}, {@code hashesCompared}, {@code
   * hashNotCompared}).
   */
  public static final int VERSION = 2;

  private Schema() {}
}
