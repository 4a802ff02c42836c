package org.bootaudit.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The rules of one file, profile or {@code auditctl -l} listing, in order.
 *
 * @param source where the rules came from (file name, {@code profile:early-boot}…)
 * @param rules the rules, control settings included
 */
public record RuleSet(String source, List<Rule> rules) {

  /** Copies the list. */
  public RuleSet {
    rules = List.copyOf(rules);
  }

  /** Returns the kernel rules (not the control settings) in canonical form, as {@code auditctl -l} lists them. */
  public List<String> kernelRules() {
    return rules.stream()
        .filter(r -> r.kind() != Rule.Kind.CONTROL)
        .map(Rule::canonical)
        .toList();
  }

  /**
   * Returns whether both sets load the same kernel rules in the same order, comparing canonical
   * forms: {@code -k k} equals {@code -F key=k}, syscall order and {@code unset}/{@code -1} do not matter.
   */
  public boolean sameKernelRules(RuleSet other) {
    return kernelRules().equals(other.kernelRules());
  }

  /** Returns every rule in canonical form, one per line, ready for {@code auditctl -R}. */
  public String text() {
    return rules.stream().map(r -> r.canonical() + "\n").collect(Collectors.joining());
  }
}
