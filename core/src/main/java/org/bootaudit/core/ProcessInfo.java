package org.bootaudit.core;

import java.util.Optional;

/**
 * The process that made a system call, as its SYSCALL record describes it.
 *
 * @param pid process id
 * @param ppid parent process id
 * @param comm the kernel's short command name
 * @param exe the executable's path ({@code ""} when the record had none)
 * @param uid real user id, {@code -1} when unset
 * @param auid login user id, {@code -1} when unset (the kernel's 4294967295)
 * @param user the name of {@code uid} as the log's ENRICHED fields give it ({@code UID="root"}),
 *     resolved by auditd on the machine that wrote the log; empty in a RAW log, a kernel log, or
 *     when auditd could not name it ({@code unknown(N)})
 * @param auser the name of {@code auid} in the same way ({@code AUID=}; {@code unset} for -1)
 */
public record ProcessInfo(
    int pid,
    int ppid,
    String comm,
    String exe,
    long uid,
    long auid,
    Optional<String> user,
    Optional<String> auser) {

  /** A process whose log names no users (a RAW log). */
  public ProcessInfo(int pid, int ppid, String comm, String exe, long uid, long auid) {
    this(pid, ppid, comm, exe, uid, auid, Optional.empty(), Optional.empty());
  }
}
