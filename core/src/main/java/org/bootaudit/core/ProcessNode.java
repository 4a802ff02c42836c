package org.bootaudit.core;

import java.time.Instant;
import java.util.List;

/**
 * A process as the log shows it: from its fork (clone/fork/vfork exit value) or its first record,
 * with the image of its last successful execve.
 *
 * @param pid process id
 * @param ppid parent process id
 * @param comm the kernel's short command name, as last seen
 * @param exe the executable, as last seen
 * @param argv the arguments of its last execve, when the log has its EXECVE record
 * @param firstSerial serial of the first event that shows the process
 * @param firstSeen time of that event
 * @param fileEvents file events made by this process inside the boot window
 */
public record ProcessNode(
    int pid,
    int ppid,
    String comm,
    String exe,
    List<String> argv,
    long firstSerial,
    Instant firstSeen,
    long fileEvents) {}
