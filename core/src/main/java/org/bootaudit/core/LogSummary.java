package org.bootaudit.core;

import java.util.List;

/**
 * What a whole read saw: its boots, and the lines it could not use.
 *
 * @param boots every boot, in log order
 * @param lines lines read
 * @param records audit records parsed
 * @param skipped bad lines skipped in {@link ErrorMode#LENIENT} mode, and in either mode records
 *     of types that hold no file activity (such as DAEMON_CONFIG) whose header could not be read
 * @param skippedExamples the first skipped lines' messages, each with its location
 * @param otherLines kernel-log lines that hold no audit record (ignored by design)
 */
public record LogSummary(
    List<BootSummary> boots,
    long lines,
    long records,
    long skipped,
    List<String> skippedExamples,
    long otherLines) {}
