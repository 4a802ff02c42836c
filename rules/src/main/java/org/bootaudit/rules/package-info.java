/**
 * Audit rules in auditctl's syntax: parse {@code .rules} files and {@code auditctl -l} output,
 * lint them for the traps of early-boot capture, ship the {@code early-boot} profiles and generate
 * root-filesystem rules from a target list.
 *
 * <p>Entry point: {@link org.bootaudit.rules.AuditRules}.
 */
package org.bootaudit.rules;
