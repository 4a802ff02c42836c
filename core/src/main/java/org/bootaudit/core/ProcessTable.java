package org.bootaudit.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The process tree of one boot, built from the log alone (no /proc). */
final class ProcessTable {

  private static final class Proc {
    final int pid;
    int ppid;
    String comm;
    String exe;
    List<String> argv = List.of();
    final long firstSerial;
    final Instant firstSeen;
    long fileEvents;
    /** Known from its parent's fork record, not from records of its own. */
    boolean forked;

    Proc(int pid, int ppid, String comm, String exe, long firstSerial, Instant firstSeen) {
      this.pid = pid;
      this.ppid = ppid;
      this.comm = comm;
      this.exe = exe;
      this.firstSerial = firstSerial;
      this.firstSeen = firstSeen;
    }
  }

  private final Map<Integer, Proc> live = new LinkedHashMap<>();
  /** A boot shows a few thousand processes; a server's year-long log may show millions. */
  static final int MAX_LISTED = 100_000;

  private final List<Proc> all = new ArrayList<>();
  private long notListed;

  /** Notes the caller of a system call as its SYSCALL record describes it. */
  void seen(ProcessInfo p, long serial, Instant time) {
    Proc proc = live.get(p.pid());
    if (proc == null) {
      add(new Proc(p.pid(), p.ppid(), p.comm(), p.exe(), serial, time));
    } else {
      proc.ppid = p.ppid();
      proc.comm = p.comm();
      proc.exe = p.exe();
    }
  }

  /** {@code p} with the command and program last seen for its pid, for records without them. */
  ProcessInfo complete(ProcessInfo p) {
    Proc proc = live.get(p.pid());
    return proc == null
        ? p
        : new ProcessInfo(
            p.pid(), p.ppid(), proc.comm, proc.exe, p.uid(), p.auid(), p.user(), p.auser());
  }

  /** A fork, clone or vfork returned {@code child} to {@code parent}. */
  void forked(ProcessInfo parent, int child, long serial, Instant time) {
    Proc known = live.get(child);
    if (known != null && !known.forked && known.ppid == parent.pid()) {
      // vfork returns to the parent only once the child has exec'd or exited, so the child's own
      // records come first: this is the same process, not a reused pid
      known.forked = true;
      return;
    }
    Proc proc = new Proc(child, parent.pid(), parent.comm(), parent.exe(), serial, time);
    proc.forked = true;
    add(proc);
  }

  /** An execve succeeded: the process now runs {@code exe} with {@code argv}. */
  void executed(int pid, List<String> argv) {
    Proc proc = live.get(pid);
    if (proc != null && !argv.isEmpty()) {
      proc.argv = List.copyOf(argv);
    }
  }

  /** True when the process is known but its arguments are not. */
  boolean lacksArgv(int pid) {
    Proc proc = live.get(pid);
    return proc != null && proc.argv.isEmpty();
  }

  void countFileEvent(int pid) {
    Proc proc = live.get(pid);
    if (proc != null) {
      proc.fileEvents++;
    }
  }

  private void add(Proc proc) {
    live.put(proc.pid, proc); // a reused pid replaces the process that had it
    if (all.size() < MAX_LISTED) {
      all.add(proc);
    } else {
      notListed++;
    }
  }

  /** Processes beyond {@link #MAX_LISTED}: counted, not kept, so memory stays bounded. */
  long notListed() {
    return notListed;
  }

  List<ProcessNode> snapshot() {
    List<ProcessNode> out = new ArrayList<>(all.size());
    for (Proc p : all) {
      out.add(new ProcessNode(
          p.pid, p.ppid, p.comm, p.exe, p.argv, p.firstSerial, p.firstSeen, p.fileEvents));
    }
    return out;
  }
}
