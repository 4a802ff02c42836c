package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.bootaudit.initramfs.KernelCommandLine.Place;

/**
 * Puts {@code audit=1 audit_backlog_limit=N} into every file of a target root that holds the kernel
 * command line: {@code etc/default/grub} ({@code GRUB_CMDLINE_LINUX}), the {@code options} of
 * Boot Loader Specification entries (what {@code grubby --update-kernel=ALL --args=} edits on BLS
 * systems), {@code kernelopts} in {@code boot/grub2/grubenv} (RHEL 8's {@code options
 * $kernelopts}) and {@code etc/kernel/cmdline}. Only ever called on an explicit request.
 *
 * <p>One rule everywhere: an argument with one of the keys (before a {@code --}; {@code -} and
 * {@code _} alike, as the kernel compares names) becomes ours, missing ones are appended, every
 * other byte stays, except that a larger {@code audit_backlog_limit} than ours is an admin's choice
 * and stays too. Files are read as ISO-8859-1, so bytes round-trip. Entries naming another
 * machine-id than the root's belong to another installation (a shared ESP) and are left alone.
 * Every file is planned before any is written, so a file that cannot be edited changes nothing.
 * A changed file is kept as {@code NAME.bootaudit-backup} (unless that exists: it is the original
 * from an earlier run) and replaced by a synced temporary file with its permissions and owner.
 */
final class KernelArguments {
  static final String BACKUP_SUFFIX = Layout.BACKUP_SUFFIX;
  static final String GRUB_DEFAULT = "etc/default/grub";
  static final List<String> ENTRY_DIRS =
      List.of("boot/loader/entries", "efi/loader/entries", "boot/efi/loader/entries");
  static final String GRUBENV = "boot/grub2/grubenv";
  static final String KERNEL_CMDLINE = "etc/kernel/cmdline";
  static final String MACHINE_ID = "etc/machine-id";
  static final String GRUBENV_SIGNATURE = "# GRUB Environment Block\n";
  static final int GRUBENV_SIZE = 1024;

  private static final Pattern GRUB_ASSIGNMENT = Pattern.compile(
      "^[ \\t]*(?:export[ \\t]+)?GRUB_CMDLINE_LINUX(_DEFAULT)?=", Pattern.MULTILINE);
  private static final Pattern OPTIONS =
      Pattern.compile("^[ \\t]*options(?=[ \\t\\r\\n]|$)[ \\t]*", Pattern.MULTILINE);
  private static final Pattern ENTRY_MACHINE_ID =
      Pattern.compile("^[ \\t]*machine-id[ \\t]+([0-9a-fA-F]{32})[ \\t\\r]*$", Pattern.MULTILINE);
  private static final Pattern KERNELOPTS = Pattern.compile("^kernelopts=(.*)$", Pattern.MULTILINE);
  private static final String BACKLOG_KEY = "audit_backlog_limit";

  private final long backlog;
  private final String arguments;
  private final Map<String, String> wanted;
  /** What merge saw in the file being planned: notes on backlog values and the largest one. */
  private List<String> notes = new ArrayList<>();

  private long largest;

  KernelArguments(long backlog) {
    this.backlog = backlog;
    this.arguments = Injector.kernelArguments(backlog);
    this.wanted = wanted(arguments);
  }

  /** A value in a file: [start, end); bare: an unquoted shell word; glued: no blank after its key. */
  private record Span(int start, int end, boolean bare, boolean glued) {}

  /** A file's new text, its lines that hold the command line, and what merge saw. */
  private record Edited(String text, List<String> lines, List<String> notes, long backlog) {}

  /** What will be written where. */
  private record Plan(Place place, Path file, String text, Edited edited) {}

  /**
   * Edits every file of root that holds the kernel command line; see {@link
   * Injector#applyKernelArguments}. Through the target-root writer {@code enable} uses: each
   * change recorded in the root's manifest, so that {@code bootaudit disable} restores the file.
   */
  static List<KernelCommandLine> apply(Path root) throws IOException {
    List<CommandLineEdit> edits = new KernelArguments(Injector.DEFAULT_BACKLOG).plan(root);
    RootWriter w =
        new RootWriter(root, Manifest.read(root).orElse(Manifest.empty()), false, change -> {});
    try {
      for (CommandLineEdit e : edits) {
        if (e.result().changed()) {
          w.edit(
              w.rel(e.result().file()),
              e.content(),
              String.join("; ", e.result().lines()));
        }
      }
    } finally {
      w.finish();
    }
    return edits.stream().map(CommandLineEdit::result).toList();
  }

  /** What apply would write, nothing written; see {@link Injector#planKernelArguments}. */
  List<CommandLineEdit> plan(Path root) throws IOException {
    Path base = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(base)) {
      throw new IOException(root + ": not a directory (expected a root file system)");
    }
    List<Plan> plans = new ArrayList<>();
    Path grub = resolve(base, GRUB_DEFAULT);
    if (Files.isRegularFile(grub)) {
      String text = read(grub);
      plans.add(new Plan(Place.GRUB_DEFAULT, grub, text, grub(grub, text)));
    }
    Path grubenv = resolve(base, GRUBENV);
    String env = Files.isRegularFile(grubenv) ? grubenvText(grubenv) : null;
    Matcher kernelopts = env == null ? null : KERNELOPTS.matcher(env);
    boolean hasKernelopts = kernelopts != null && kernelopts.find();
    String machineId = machineId(base);
    int foreign = 0;
    Set<Path> seen = new HashSet<>();
    for (Path entry : entries(base)) {
      String text = read(entry);
      Matcher id = ENTRY_MACHINE_ID.matcher(text);
      if (machineId != null && id.find() && !id.group(1).equalsIgnoreCase(machineId)) {
        foreign++;
      } else if (seen.add(entry)) {
        plans.add(new Plan(Place.BLS_ENTRY, entry, text, entry(entry, text, hasKernelopts)));
      }
    }
    if (hasKernelopts) {
      plans.add(new Plan(Place.GRUBENV, grubenv, env, grubenv(grubenv, env, kernelopts)));
    }
    Path cmdline = resolve(base, KERNEL_CMDLINE);
    if (Files.isRegularFile(cmdline)) {
      String text = read(cmdline);
      int end = text.length();
      while (end > 0 && isSpace(text.charAt(end - 1))) {
        end--;
      }
      plans.add(new Plan(
          Place.KERNEL_CMDLINE,
          cmdline,
          text,
          edit(cmdline, text, List.of(new Span(0, end, false, false)), 0, 1, true)));
    }
    if (plans.isEmpty()) {
      throw new IOException(base + ": no kernel command line found: looked for " + GRUB_DEFAULT
          + " (GRUB_CMDLINE_LINUX), "
          + String.join("/*.conf, ", ENTRY_DIRS) + "/*.conf (Boot Loader Specification entries"
          + (foreign > 0
              ? "; " + foreign + " of another machine-id than " + MACHINE_ID + "'s left alone"
              : "")
          + "), "
          + GRUBENV + " (kernelopts) and " + KERNEL_CMDLINE + "; add " + arguments
          + " to the boot loader's kernel command line by hand");
    }
    List<CommandLineEdit> edits = new ArrayList<>();
    for (Plan p : plans) {
      Edited e = p.edited();
      boolean changed = !e.text().equals(p.text());
      edits.add(new CommandLineEdit(
          new KernelCommandLine(p.place(), p.file(), e.lines(), changed),
          e.text().getBytes(StandardCharsets.ISO_8859_1),
          e.backlog(),
          e.notes()));
    }
    return edits;
  }

  /**
   * GRUB_CMDLINE_LINUX gets the arguments (it is on every entry, recovery too); conflicting values
   * in GRUB_CMDLINE_LINUX_DEFAULT, which comes after it on the command line, are replaced.
   */
  private Edited grub(Path file, String text) throws IOException {
    List<Span> linux = new ArrayList<>();
    List<Span> defaults = new ArrayList<>();
    Matcher m = GRUB_ASSIGNMENT.matcher(text);
    int from = 0;
    while (from <= text.length() && m.find(from)) {
      Span s = shellWord(file, text, m.end());
      (m.group(1) == null ? linux : defaults).add(s);
      from = Math.max(s.end() + 1, m.end());
    }
    List<Span> spans = new ArrayList<>(linux);
    spans.addAll(defaults);
    Edited e = edit(file, text, spans, linux.size() - 1, linux.size(), !linux.isEmpty());
    if (!linux.isEmpty()) {
      return e;
    }
    String line = "GRUB_CMDLINE_LINUX=\"" + arguments + "\"";
    List<String> lines = new ArrayList<>(e.lines());
    lines.add(0, line);
    String t = e.text();
    return new Edited(
        t + (t.isEmpty() || t.endsWith("\n") ? "" : "\n") + line + "\n",
        lines,
        e.notes(),
        Math.max(e.backlog(), backlog));
  }

  /** The value of a shell assignment starting at pos: inside its quotes, or a bare word. */
  private static Span shellWord(Path file, String text, int pos) throws IOException {
    int n = text.length();
    if (pos < n && text.charAt(pos) == '"') {
      int i = pos + 1;
      while (i < n && text.charAt(i) != '"') {
        i += text.charAt(i) == '\\' ? 2 : 1;
      }
      if (i >= n) {
        throw new IOException(file + ": GRUB_CMDLINE_LINUX: no closing \" (nothing changed)");
      }
      return new Span(pos + 1, i, false, false);
    }
    if (pos < n && text.charAt(pos) == '\'') {
      int i = text.indexOf('\'', pos + 1);
      if (i < 0) {
        throw new IOException(file + ": GRUB_CMDLINE_LINUX: no closing ' (nothing changed)");
      }
      return new Span(pos + 1, i, false, false);
    }
    int i = pos;
    while (i < n && " \t\r\n;".indexOf(text.charAt(i)) < 0) {
      i++;
    }
    return new Span(pos, i, true, false);
  }

  /**
   * The options lines of an entry (missing: one is added). An entry that takes {@code $kernelopts}
   * gets the arguments through grubenv when that has kernelopts, as grubby does; otherwise after
   * it.
   */
  private Edited entry(Path file, String text, boolean grubenvHasKernelopts) throws IOException {
    List<Span> spans = new ArrayList<>();
    boolean kernelopts = false;
    Matcher m = OPTIONS.matcher(text);
    while (m.find()) {
      int eol = text.indexOf('\n', m.end());
      Span s =
          new Span(m.end(), eol < 0 ? text.length() : eol, false, m.group().endsWith("options"));
      String value = text.substring(s.start(), s.end());
      kernelopts |= tokens(value).stream()
          .map(t -> value.substring(t[0], t[1]))
          .anyMatch(t -> t.equals("$kernelopts") || t.equals("${kernelopts}"));
      spans.add(s);
    }
    if (spans.isEmpty()) {
      String line = "options " + arguments;
      return new Edited(
          text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + line + "\n",
          List.of(line),
          List.of(),
          backlog);
    }
    return edit(
        file,
        text,
        spans,
        kernelopts && grubenvHasKernelopts ? -1 : spans.size() - 1,
        spans.size(),
        true);
  }

  /** A grubenv's text: exactly 1024 bytes, the signature, variable lines, '#' padding. */
  private static String grubenvText(Path file) throws IOException {
    String text = read(file);
    int padding = text.lastIndexOf('\n') + 1;
    if (text.length() != GRUBENV_SIZE
        || !text.startsWith(GRUBENV_SIGNATURE)
        || text.substring(padding).chars().anyMatch(c -> c != '#')) {
      throw new IOException(file + ": not a GRUB environment block (" + GRUBENV_SIZE + " bytes: \""
          + GRUBENV_SIGNATURE.strip() + "\", NAME=VALUE lines, '#' padding); nothing changed");
    }
    return text;
  }

  /** kernelopts=, kept at 1024 bytes by taking from or giving back to the padding, as grub-editenv does. */
  private Edited grubenv(Path file, String text, Matcher kernelopts) throws IOException {
    Edited e = edit(
        file,
        text,
        List.of(new Span(kernelopts.start(1), kernelopts.end(1), false, false)),
        0,
        1,
        true);
    String t = e.text();
    int grow = t.length() - text.length();
    int padding = text.length() - text.lastIndexOf('\n') - 1;
    if (grow > padding) {
      throw new IOException(file + ": no room for " + arguments + " in kernelopts (" + padding
          + " bytes free of " + GRUBENV_SIZE + "); nothing changed");
    }
    t = grow >= 0 ? t.substring(0, t.length() - grow) : t + "#".repeat(-grow);
    return new Edited(t, e.lines(), e.notes(), e.backlog());
  }

  /**
   * Merges the arguments into the command line the spans' values make, in that order (see {@link
   * #merge}), and says which lines hold them: the changed ones and those that have the arguments,
   * else (with fallback) the one they would go to. A bare value that changes is quoted.
   */
  private Edited edit(
      Path file, String text, List<Span> spans, int appendTo, int counted, boolean fallback)
      throws IOException {
    List<String> values =
        spans.stream().map(s -> text.substring(s.start(), s.end())).toList();
    notes = new ArrayList<>();
    largest = 0;
    List<String> merged = merge(values, appendTo, counted);
    List<Integer> order = IntStream.range(0, spans.size())
        .boxed()
        .sorted(Comparator.comparingInt(i -> spans.get(i).start()))
        .toList();
    StringBuilder b = new StringBuilder();
    int copied = 0;
    int[][] moved = new int[spans.size()][];
    for (int i : order) {
      Span s = spans.get(i);
      String v = merged.get(i);
      if (!v.equals(values.get(i)) && s.bare()) {
        if (values.get(i).matches("(?s).*[\"'\\\\].*")) {
          throw new IOException(
              file
                  + ": an unquoted GRUB_CMDLINE_LINUX with quotes in it: quote it first (nothing changed)");
        }
        v = "\"" + v + "\"";
      } else if (!v.equals(values.get(i)) && s.glued()) {
        v = " " + v;
      }
      b.append(text, copied, s.start());
      moved[i] = new int[] {b.length(), b.length() + v.length()};
      b.append(v);
      copied = s.end();
    }
    b.append(text, copied, text.length());
    String updated = b.toString();
    Set<String> lines = new LinkedHashSet<>();
    for (int i : order) {
      if (!merged.get(i).equals(values.get(i)) || holds(merged.get(i))) {
        lines.add(line(updated, moved[i]));
      }
    }
    if (lines.isEmpty() && !spans.isEmpty() && fallback) {
      lines.add(line(updated, moved[Math.max(appendTo, 0)]));
    }
    return new Edited(
        updated, List.copyOf(lines), List.copyOf(new LinkedHashSet<>(notes)), largest);
  }

  /** The whole line(s) around [range[0], range[1]). */
  private static String line(String text, int[] range) {
    int start = text.lastIndexOf('\n', range[0] - 1) + 1;
    int end = text.indexOf('\n', range[1]);
    return text.substring(start, end < 0 ? text.length() : end);
  }

  /**
   * Merges the arguments into the command line made of values, read in that order: every argument
   * with one of their keys becomes ours; those missing from the first {@code counted} values go
   * after the last argument of values[appendTo] (-1: nowhere), or before a {@code --} that comes
   * first (after it, arguments are init's, not the kernel's). Whitespace, quoting and all other
   * arguments stay.
   */
  List<String> merge(List<String> values, int appendTo, int counted) {
    Set<String> found = new HashSet<>();
    List<StringBuilder> out = new ArrayList<>();
    int[] endOfArguments = new int[values.size()];
    int dashes = -1;
    int dashesAt = 0;
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      StringBuilder b = new StringBuilder();
      int copied = 0;
      for (int[] t : dashes < 0 ? tokens(v) : List.<int[]>of()) {
        String token = v.substring(t[0], t[1]);
        b.append(v, copied, t[0]);
        copied = t[0];
        if (token.equals("--")) {
          dashes = i;
          dashesAt = b.length();
          break;
        }
        String arg = ours(token);
        if (arg != null && i < counted) {
          found.add(key(token));
        }
        b.append(arg != null ? arg : token);
        copied = t[1];
        endOfArguments[i] = b.length();
      }
      b.append(v, copied, v.length());
      out.add(b);
    }
    List<String> missing = wanted.entrySet().stream()
        .filter(e -> !found.contains(e.getKey()))
        .map(Map.Entry::getValue)
        .toList();
    if (!missing.isEmpty() && appendTo >= 0) {
      String add = String.join(" ", missing);
      if (missing.contains(wanted.get(BACKLOG_KEY))) {
        largest = Math.max(largest, backlog);
      }
      if (dashes >= 0 && dashes <= appendTo) {
        out.get(dashes).insert(dashesAt, add + " ");
      } else {
        int at = endOfArguments[appendTo];
        out.get(appendTo).insert(at, at > 0 ? " " + add : add);
      }
    }
    return out.stream().map(StringBuilder::toString).toList();
  }

  /**
   * What an argument becomes: null when its key is not one of ours; itself when it is a larger
   * backlog limit than ours (an admin's choice, never lowered); otherwise our argument. Notes
   * what happens to backlog values and keeps the largest.
   */
  private String ours(String token) {
    String arg = wanted.get(key(token));
    if (arg == null || !key(token).equals(BACKLOG_KEY)) {
      return arg;
    }
    long had = backlogValue(token);
    if (had > backlog) {
      notes.add(token + " kept (larger than " + backlog + "; never lowered)");
      largest = Math.max(largest, had);
      return token;
    }
    if (had != backlog) {
      notes.add(token + (had < 0 ? " replaced by " + arg : " raised to " + backlog));
    }
    largest = Math.max(largest, backlog);
    return arg;
  }

  /** A backlog value as the kernel reads it (kstrtouint, base 0); -1 when it is not a number. */
  private static long backlogValue(String token) {
    int eq = token.indexOf('=');
    try {
      long v = eq < 0 ? -1 : Long.decode(token.substring(eq + 1));
      return v >= 0 && v <= 0xffffffffL ? v : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Whether value has one of the arguments as ours leaves it (before a {@code --}). */
  private boolean holds(String value) {
    for (int[] t : tokens(value)) {
      String token = value.substring(t[0], t[1]);
      if (token.equals("--")) {
        return false;
      }
      String arg = wanted.get(key(token));
      if (token.equals(arg)
          || arg != null && key(token).equals(BACKLOG_KEY) && backlogValue(token) > backlog) {
        return true;
      }
    }
    return false;
  }

  /** Arguments as the kernel's next_arg splits them: blanks separate, except inside double quotes. */
  static List<int[]> tokens(String v) {
    List<int[]> tokens = new ArrayList<>();
    int i = 0;
    while (i < v.length()) {
      while (i < v.length() && isSpace(v.charAt(i))) {
        i++;
      }
      if (i == v.length()) {
        break;
      }
      int start = i;
      boolean quoted = false;
      while (i < v.length() && (quoted || !isSpace(v.charAt(i)))) {
        quoted ^= v.charAt(i) == '"';
        i++;
      }
      tokens.add(new int[] {start, i});
    }
    return tokens;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000b' || c == '\f';
  }

  /** The parameter name as the kernel compares it: up to '=', '-' read as '_'. */
  static String key(String arg) {
    int eq = arg.indexOf('=');
    return (eq < 0 ? arg : arg.substring(0, eq)).replace('-', '_');
  }

  private static Map<String, String> wanted(String arguments) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (String a : arguments.split(" ")) {
      wanted.put(key(a), a);
    }
    return Collections.unmodifiableMap(wanted);
  }

  /** The root's machine id, or null when it has none (then no entry is another installation's). */
  private static String machineId(Path root) throws IOException {
    Path file = resolve(root, MACHINE_ID);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    String id = read(file).strip();
    return id.matches("[0-9a-fA-F]{32}") ? id.toLowerCase(java.util.Locale.ROOT) : null;
  }

  /** Every *.conf entry of the entry directories that exist, each directory once, by name. */
  private static List<Path> entries(Path root) throws IOException {
    Set<Path> dirs = new LinkedHashSet<>();
    for (String d : ENTRY_DIRS) {
      Path dir = resolve(root, d);
      if (Files.isDirectory(dir)) {
        dirs.add(dir);
      }
    }
    List<Path> entries = new ArrayList<>();
    for (Path dir : dirs) {
      try (Stream<Path> list = Files.list(dir)) {
        for (Path p : list.filter(p -> p.getFileName().toString().endsWith(".conf"))
            .sorted()
            .toList()) {
          Path entry = resolve(root, root.relativize(p).toString());
          if (Files.isRegularFile(entry)) {
            entries.add(entry);
          }
        }
      }
    }
    return entries;
  }

  /**
   * rel inside root as the root's own programs see it: symbolic links followed, absolute targets
   * and {@code ..} kept inside root (so a root mounted elsewhere never leads to this machine's
   * files, and a link such as RHEL's {@code grubenv -> ../efi/EFI/redhat/grubenv} is edited where
   * it points, not replaced).
   */
  static Path resolve(Path root, String rel) throws IOException {
    Deque<String> todo = new ArrayDeque<>(List.of(rel.split("/")));
    Path at = root;
    int links = 0;
    while (!todo.isEmpty()) {
      String c = todo.removeFirst();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        at = at.equals(root) ? root : at.getParent();
        continue;
      }
      Path next = at.resolve(c);
      if (!Files.isSymbolicLink(next)) {
        at = next;
        continue;
      }
      if (++links > 40) {
        throw new IOException(root.resolve(rel) + ": too many levels of symbolic links");
      }
      String target = Files.readSymbolicLink(next).toString();
      List<String> parts = List.of(target.split("/"));
      for (int i = parts.size() - 1; i >= 0; i--) {
        todo.addFirst(parts.get(i));
      }
      if (target.startsWith("/")) {
        at = root;
      }
    }
    return at;
  }

  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
  }
}
