package org.bootaudit.spark;

/**
 * What a fleet job found, in numbers, and its summary for people.
 *
 * @param hosts hosts read
 * @param unreadable hosts whose log could not be read (table {@code errors})
 * @param boots boots found
 * @param events file events in the boots' windows (table {@code events})
 * @param outliers boots that used files or programs outside the baseline
 * @param lossy boots whose log shows loss
 * @param summary the text written to {@code summary.txt}
 */
public record FleetResult(
    long hosts,
    long unreadable,
    long boots,
    long events,
    long outliers,
    long lossy,
    String summary) {}
