package org.bootaudit.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bootaudit.core.InvalidInputException;
import org.bootaudit.core.SourceLocation;

/**
 * Parses auditctl's rule syntax, one rule per line, as {@code auditctl -R} reads it: blank lines
 * and lines whose first non-blank character is {@code #} are skipped; auditctl joins no
 * continuation lines and accepts no trailing comments, so both are errors here too.
 */
final class RuleParser {

  static final Set<String> LISTS =
      Set.of("exit", "task", "user", "exclude", "filesystem", "io_uring");
  static final Set<String> ACTIONS = Set.of("always", "never");

  /** Rules and, when lenient, one syntax problem per rejected line. */
  record Result(List<Rule> rules, List<Finding> problems) {}

  private record Token(String text, int column) {}

  private final String source;
  private long line;
  private List<Token> tokens = List.of();
  private int next;

  private RuleParser(String source) {
    this.source = source;
  }

  static Result parse(String text, String source, boolean strict) {
    RuleParser p = new RuleParser(source);
    List<Rule> rules = new ArrayList<>();
    List<Finding> problems = new ArrayList<>();
    for (String raw : text.split("\n", -1)) {
      p.line++;
      try {
        p.line(raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw).ifPresent(rules::add);
      } catch (RuleSyntaxException e) {
        if (strict) {
          throw e;
        }
        problems.add(
            new Finding(Finding.Severity.ERROR, e.location(), e.problem(), Optional.empty()));
      }
    }
    return new Result(List.copyOf(rules), List.copyOf(problems));
  }

  private Optional<Rule> line(String text) {
    tokens = tokens(text);
    next = 0;
    if (tokens.isEmpty()
        || tokens.get(0).text().startsWith("#")
        || text.strip().equals("No rules")) {
      return Optional.empty();
    }
    Token last = tokens.get(tokens.size() - 1);
    if (last.text().endsWith("\\")) {
      throw fail(
          last.column() + last.text().length() - 1,
          "expected a rule on one line, found '\\' (auditctl joins no continuation lines)");
    }
    Token first = take();
    return Optional.of(
        switch (first.text()) {
          case "-a", "-A" -> syscallRule(first);
          case "-w" -> watch(first);
          default -> control(first);
        });
  }

  private Rule syscallRule(Token option) {
    Token la = value(option);
    String[] parts = la.text().split(",", -1);
    boolean swapped = parts.length == 2 && ACTIONS.contains(parts[1]);
    if (parts.length != 2
        || !ACTIONS.contains(swapped ? parts[1] : parts[0])
        || !LISTS.contains(swapped ? parts[0] : parts[1])) {
      throw fail(
          la.column(),
          "expected list,action such as 'always,exit', found '"
              + InvalidInputException.excerpt(la.text()) + "'");
    }
    List<Field> fields = new ArrayList<>();
    List<Syscall> syscalls = new ArrayList<>();
    while (next < tokens.size()) {
      Token o = take();
      switch (o.text()) {
        case "-F" -> fields.add(field(value(o), false, syscalls.isEmpty()));
        case "-C" -> fields.add(field(value(o), true, true));
        case "-S" -> syscalls.addAll(syscalls(value(o)));
        case "-k" -> fields.add(key(value(o)));
        default -> throw unexpected(o, "-F, -S, -C or -k");
      }
    }
    checkLimits(option, fields);
    SyscallRule rule = new SyscallRule(
        swapped ? parts[0] : parts[1],
        swapped ? parts[1] : parts[0],
        fields,
        syscalls,
        at(option.column()));
    for (Syscall s : syscalls) {
      Syscalls.problem(rule, s).ifPresent(p -> {
        throw new RuleSyntaxException(s.location(), p);
      });
    }
    return rule;
  }

  private Field key(Token v) {
    if (v.text().length() > FieldCheck.MAX_KEY) {
      throw fail(
          v.column(),
          "expected a key of at most " + FieldCheck.MAX_KEY + " bytes (the kernel's limit), found "
              + v.text().length());
    }
    return new Field("key", "=", v.text(), false, at(v.column()));
  }

  /** AUDIT_MAX_FIELDS: the kernel refuses a rule with more fields (its keys count as one). */
  static final int MAX_FIELDS = 64;

  /** Syscall numbers a rule's bit mask holds (AUDIT_BITMASK_SIZE words of 32 bits). */
  static final int MAX_SYSCALL = 2047;

  /** What the kernel refuses in a whole rule: too many fields, keys too long together. */
  private void checkLimits(Token option, List<Field> fields) {
    long keys = fields.stream().filter(f -> f.name().equals("key")).count();
    long count = fields.size() - keys + (keys > 0 ? 1 : 0);
    if (count > MAX_FIELDS) {
      throw fail(
          option.column(),
          "expected at most " + MAX_FIELDS + " fields in one rule (the kernel's limit), found "
              + count);
    }
    checkJoinedKeys(
        option,
        fields.stream().filter(f -> f.name().equals("key")).map(Field::value).toList());
  }

  /** The kernel joins a rule's keys with 0x01 into one of at most {@link FieldCheck#MAX_KEY}. */
  private void checkJoinedKeys(Token option, List<String> keys) {
    int joined = keys.stream().mapToInt(k -> k.length() + 1).sum() - 1;
    if (keys.size() > 1 && joined > FieldCheck.MAX_KEY) {
      throw fail(
          option.column(),
          "expected the keys of one rule to take at most " + FieldCheck.MAX_KEY
              + " bytes joined (the kernel's limit), found " + joined);
    }
  }

  private List<Syscall> syscalls(Token v) {
    List<Syscall> out = new ArrayList<>();
    int col = v.column();
    for (String name : v.text().split(",", -1)) {
      if (name.isEmpty()) {
        throw fail(
            col,
            "expected a syscall name, found '" + InvalidInputException.excerpt(v.text()) + "'");
      }
      if (name.matches("-?[0-9].*")) {
        java.util.Optional<Long> n = Fields.number(name);
        if (n.isEmpty() || n.get() < 0 || n.get() > MAX_SYSCALL) {
          throw fail(
              col,
              "expected a syscall name or a number from 0 to " + MAX_SYSCALL + ", found '"
                  + InvalidInputException.excerpt(name) + "'");
        }
      }
      out.add(new Syscall(name, at(col)));
      col += name.length() + 1;
    }
    return out;
  }

  private Field field(Token t, boolean comparison, boolean beforeSyscalls) {
    String s = t.text();
    int i = indexOfOperator(s);
    if (i <= 0) {
      throw fail(
          t.column(),
          "expected field op value such as 'auid>=1000', found '" + InvalidInputException.excerpt(s)
              + "'");
    }
    String name = s.substring(0, i);
    String op = operatorAt(s, i);
    String value = s.substring(i + op.length());
    FieldCheck.check(name, op, value, comparison, beforeSyscalls).ifPresent(p -> {
      throw fail(t.column() + (p.atValue() ? i + op.length() : 0), p.message());
    });
    return new Field(name, op, value, comparison, at(t.column()));
  }

  private static int indexOfOperator(String s) {
    for (int i = 0; i < s.length(); i++) {
      if ("=!<>&".indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static String operatorAt(String s, int i) {
    for (String op : Fields.OPERATORS) {
      if (s.startsWith(op, i)) {
        return op;
      }
    }
    return s.substring(i, i + 1);
  }

  private Rule watch(Token option) {
    Token path = value(option);
    if (!path.text().startsWith("/")) {
      throw fail(
          path.column(),
          "expected an absolute path after -w, found '" + InvalidInputException.excerpt(path.text())
              + "'");
    }
    String perms = "rwxa";
    List<String> keys = new ArrayList<>();
    while (next < tokens.size()) {
      Token o = take();
      switch (o.text()) {
        case "-p" -> perms = perms(value(o));
        case "-k" -> keys.add(key(value(o)).value());
        default -> throw unexpected(o, "-p or -k");
      }
    }
    checkJoinedKeys(option, keys);
    return new WatchRule(path.text(), perms, keys, at(option.column()));
  }

  private String perms(Token v) {
    if (!v.text().matches("[rwxa]+")) {
      throw fail(
          v.column(),
          "expected permissions from 'rwxa', found '" + InvalidInputException.excerpt(v.text())
              + "'");
    }
    return v.text();
  }

  private Rule control(Token o) {
    ControlRule.Option option = ControlRule.Option.find(o.text())
        .orElseThrow(() -> fail(
            o.column(),
            "unknown option '" + InvalidInputException.excerpt(o.text())
                + "' (expected -a, -w, -D, -b, -e, -f, -r, --backlog_wait_time,"
                + " --loginuid-immutable, -i or -c)"));
    Optional<String> value =
        option.takesValue() ? Optional.of(number(o, value(o))) : Optional.empty();
    if (next < tokens.size()) {
      Token extra = take();
      throw fail(
          extra.column(),
          "expected end of line after '" + o.text() + "', found '"
              + InvalidInputException.excerpt(extra.text()) + "'");
    }
    return new ControlRule(option, value, at(o.column()));
  }

  private String number(Token o, Token v) {
    boolean flag = o.text().equals("-e") || o.text().equals("-f");
    if (!v.text().matches(flag ? "[012]" : "[0-9]{1,10}")) {
      throw fail(
          v.column(),
          "expected " + (flag ? "0, 1 or 2" : "a number") + " after " + o.text() + ", found '"
              + InvalidInputException.excerpt(v.text()) + "'");
    }
    return v.text();
  }

  private RuleSyntaxException unexpected(Token o, String expected) {
    String why =
        o.text().startsWith("#") ? " (auditctl accepts comments only on their own line)" : "";
    String what = o.text().startsWith("-") ? "unknown option" : "expected an option, found";
    return fail(
        o.column(),
        what + " '" + InvalidInputException.excerpt(o.text()) + "' (expected " + expected + ")"
            + why);
  }

  private Token take() {
    return tokens.get(next++);
  }

  private Token value(Token option) {
    if (next >= tokens.size()) {
      throw fail(
          option.column() + option.text().length(),
          "expected a value after '" + option.text() + "', found end of line");
    }
    return take();
  }

  private RuleSyntaxException fail(int column, String problem) {
    return new RuleSyntaxException(at(column), problem);
  }

  private SourceLocation at(int column) {
    return new SourceLocation(source, line, column);
  }

  private static List<Token> tokens(String text) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        out.add(new Token(text.substring(start, i), start + 1));
      }
    }
    return out;
  }
}
