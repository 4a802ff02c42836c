package org.bootaudit.core;

/**
 * The process that made a system call, as its SYSCALL record describes it.
 *
 * @param pid process id
 * @param ppid parent process id
 * @param comm the kernel's short command name
 * @param exe the executable's path ({@code ""} when the record had none)
 * @param uid real user id, {@code -1} when unset
 * @param auid login user id, {@code -1} when unset (the kernel's 4294967295)
 */
public record ProcessInfo(int pid, int ppid, String comm, String exe, long uid, long auid) {}
