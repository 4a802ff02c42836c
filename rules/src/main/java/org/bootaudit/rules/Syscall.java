package org.bootaudit.rules;

import org.bootaudit.core.SourceLocation;

/**
 * One system call name of a {@code -S} list.
 *
 * @param name the name as written ({@code openat}, {@code all}, or a number)
 * @param location where the name starts
 */
public record Syscall(String name, SourceLocation location) {}
